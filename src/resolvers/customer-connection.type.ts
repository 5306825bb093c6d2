// CustomerConnection / CustomerEdge: the partner's customers as a Relay connection.
import { connectionTypes } from './connection';
import { Customer } from './customer.type';

export const { Connection: CustomerConnection, Edge: CustomerEdge } = connectionTypes(
  'Customer',
  () => Customer,
);
