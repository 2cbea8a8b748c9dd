import { createTestTable } from '../support/dynamo-table.ts';

type TestTable = Awaited<ReturnType<typeof createTestTable>>;

/** One implementation of a port (or of ports that share state), made fresh for each test. */
export interface Implementation<Ports> {
  readonly name: string;
  readonly make: () => Promise<Ports>;
}

/**
 * The in-memory twin the core's tests use and the DynamoDB adapter the functions use, so one
 * suite holds both to the port's promises. The adapters share one table per test file (tests use
 * ids of their own); the twins start empty for every test.
 */
export function inMemoryAndDynamoDb<Ports>(
  inMemory: () => Ports,
  dynamoDb: (table: TestTable) => Ports,
): Array<Implementation<Ports>> {
  let table: Promise<TestTable> | undefined;
  return [
    { name: 'in memory', make: async () => inMemory() },
    {
      name: 'DynamoDB Local',
      make: async () => {
        table ??= createTestTable();
        return dynamoDb(await table);
      },
    },
  ];
}

let counter = 0;

/** An id no other test of the run uses, so tests on a shared table never meet. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}
