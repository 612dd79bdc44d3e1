import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CLIENT_CONFIG } from '../shared/aws-clients';

/** One client per region, each created once: a table is called in its own region, whatever the function's. */
const clients = new Map<string, DynamoDBClient>();

/**
 * The DynamoDB client for the region of `arn` (a table's, or an export's, which is its table's):
 * DynamoDB answers for a table only in the table's region, so a function deployed elsewhere
 * would get ResourceNotFoundException from its own.
 */
export function dynamodbFor(arn: string): DynamoDBClient {
  const region = arn.split(':')[3];
  let client = clients.get(region);
  if (!client) {
    client = new DynamoDBClient({ ...CLIENT_CONFIG, region });
    clients.set(region, client);
  }
  return client;
}
