// `npm run schema`: writes schema/schema.graphql from the tsc build (the committed source of truth).
import path from 'node:path';
import { buildGatewaySchema } from './schema';

const target = path.resolve(__dirname, '../../schema/schema.graphql');
buildGatewaySchema({ emitSchemaFile: target }).then(
  () => console.log(`wrote ${path.relative(process.cwd(), target)}`),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
