// What a field costs in Stripe requests and whether its answer is pure, declared beside its resolver (`@Cost`) and
// read back from the schema's field extensions by the limits (transport/graphql/limits/) and the response cache.
import type { FieldNode, GraphQLField, GraphQLNamedType } from 'graphql';
import { Extensions } from 'type-graphql';
import type { SelectionScope } from './selection';

/**
 * What the plan knows about the object a field is resolved on, handed down by the field that fetched it
 * (the same facts the loaders act on: services/stripe/loaders.ts).
 */
export interface PlanFacts {
  /**
   * The account arrived with its ownership embedded (`expand[]=ownership` on a retrieve, `data.ownership` on a
   * list), so its ownership and its first owners cost nothing more.
   */
  ownershipEmbedded?: boolean;
}

/** What a cost function sees of one field of the operation, before anything runs. */
export interface CostInput {
  /** The operation around the field (pass it to selection.ts's predicates, as the resolver passes its `info`). */
  scope: SelectionScope;
  /** The field's node in the operation (its children are what the resolver will look ahead into). */
  nodes: readonly FieldNode[];
  /** The field's argument values (defaults applied; empty when they do not validate). */
  args: Record<string, unknown>;
  /** What the plan knows about the object the field is resolved on. */
  parent: PlanFacts;
}

/**
 * Stripe requests one field sends per object it is resolved on, at most, on cold caches and without DataLoader
 * sharing: a number, or a function of the selection when `expand` planning makes part of it free. A function may
 * also return the facts its object (or, for a connection, each node) carries down to its own fields.
 */
export type StripeCost = number | ((input: CostInput) => number | PlannedCost);

/** A cost function's answer when the plan says more than a number. */
export interface PlannedCost {
  calls: number;
  /** What the field's objects (a connection's nodes) carry down to their own fields. */
  facts: PlanFacts;
  /**
   * The object's id when the field looks one object up: DataLoader fetches an id once per operation, so the
   * estimate counts `calls` for the first field that looks it up and nothing for the others.
   */
  once?: string;
}

/**
 * A lookup by the field's `id` argument (with the tenancy lookups its check adds), counted once per id and
 * operation; `facts` says what the object carries down.
 */
export const lookupById =
  (calls: number, facts: (input: CostInput) => PlanFacts = () => ({})): StripeCost =>
  (input) => ({
    calls,
    facts: facts(input),
    once: typeof input.args.id === 'string' ? input.args.id : undefined,
  });

/** The facts one field (or, on an object type, each of its fields) declares. */
export interface FieldFacts {
  /**
   * Stripe requests per resolution ({@link StripeCost}); a field that does not declare any sends none (it reads the
   * object its parent fetched). A test (test/integration/stripe-call-estimate.test.ts) records which field sent each
   * request and fails for a field that sends one without this declaration.
   */
  stripeCalls?: StripeCost;
  /**
   * The answer is a function of the caller and of Stripe objects read through the read cache only (no clock, no
   * partner-webhook store, no sync cursor state), so a whole response may be kept (transport/graphql/response-cache.ts).
   * On an object type: every field of it that does not say otherwise. Why opt-in: a field added later is uncached
   * until someone checks it, instead of cached wrongly.
   */
  pure?: boolean;
}

/** The extensions key the facts are stored under (a field's or an object type's `extensions`). */
export const FIELD_FACTS = 'gateway';

/** Declares a field's (or, on a class, an object type's) {@link FieldFacts}. */
export const Cost = (facts: FieldFacts): MethodDecorator & PropertyDecorator & ClassDecorator =>
  Extensions({ [FIELD_FACTS]: facts });

/** The declared facts of a field, undefined when it declares none. */
export const fieldFacts = (field: GraphQLField<unknown, unknown> | undefined): FieldFacts | undefined =>
  field?.extensions?.[FIELD_FACTS] as FieldFacts | undefined;

/** The declared facts of an object type, undefined when it declares none. */
export const typeFacts = (type: GraphQLNamedType | undefined): FieldFacts | undefined =>
  type?.extensions?.[FIELD_FACTS] as FieldFacts | undefined;

/** Whether a field's answer is pure: its own declaration, else its type's. */
export const isPureField = (parent: GraphQLNamedType | undefined, field: GraphQLField<unknown, unknown>) =>
  fieldFacts(field)?.pure ?? typeFacts(parent)?.pure ?? false;
