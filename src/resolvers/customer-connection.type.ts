// CustomerConnection / CustomerEdge: the partner's customers as a Relay connection.
import { connectionType } from './connection';
import { Customer } from './customer.type';

export const CustomerConnection = connectionType('Customer', () => Customer);
