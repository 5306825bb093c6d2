// Every resolver class of the schema, in one list for buildSchema.
import type { NonEmptyArray } from 'type-graphql';
import { ViewerResolver } from './viewer.resolver';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [ViewerResolver];
