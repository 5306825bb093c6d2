// Proves the test transform (@swc/jest) keeps the decorator metadata type-graphql reads.
import 'reflect-metadata';
import { printSchema } from 'graphql';
import { Arg, buildSchema, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';

@ObjectType()
class Probe {
  @Field()
  name!: string;

  @Field()
  count!: number;
}

@Resolver()
class ProbeResolver {
  @Query(() => Probe)
  probe(@Arg('n', () => Int) n: number): Probe {
    return { name: 'p', count: n };
  }
}

describe('decorator metadata under the test transform', () => {
  it('should emit design:type metadata for decorated properties', () => {
    expect(Reflect.getMetadata('design:type', Probe.prototype, 'name')).toBe(String);
    expect(Reflect.getMetadata('design:type', Probe.prototype, 'count')).toBe(Number);
  });

  it('should let type-graphql infer scalar types from that metadata', async () => {
    const schema = await buildSchema({ resolvers: [ProbeResolver], validate: false });
    const sdl = printSchema(schema);
    expect(sdl).toContain('name: String!');
    expect(sdl).toContain('count: Float!');
    expect(sdl).toContain('probe(n: Int!): Probe!');
  });
});
