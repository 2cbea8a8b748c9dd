import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { TableFunction } from '../../functions/adapters/dynamodb/key-prefixes.ts';
import { conversationTable, tableIndexes } from '../../functions/adapters/dynamodb/table-definition.ts';
import { itemAccessCondition } from './permissions.ts';

export interface ConversationStoreProps {
  /** The customer-managed key the table is encrypted with. */
  readonly encryptionKey: IKey;
  /**
   * Keep the table when it leaves the stack; also turns on deletion protection so a replacement
   * or a stray `cdk destroy` cannot drop customer history.
   * @default true
   */
  readonly retainData?: boolean;
  /**
   * Stream every change with the item before and after: the channel counters (always in the
   * stack) and agents' live updates read it.
   * @default false
   */
  readonly streamChanges?: boolean;
  /**
   * Keep the indexes an earlier release created and this one replaced (`retiredIndexes` in the
   * table definition) for one deploy of an upgrade: CloudFormation creates or deletes one index
   * per table update, so the replacement is added first and the retired one deleted by the next
   * deploy, once the replacement is ACTIVE (docs/operations.md). A new table never needs them.
   * @default false
   */
  readonly keepRetiredIndexes?: boolean;
}

/**
 * How much of the store a function may touch. `readUpdate`: reads plus UpdateItem only, for a
 * function whose every write is a conditional update of an existing item (the agent API).
 */
/**
 * `readPutUpdate`: reads, conditional updates and puts, never a delete (the agent API, whose merges
 * append consent history and order links and delete nothing).
 */
/** `putGet`: GetItem and PutItem only, for a function that writes new items and reads one back by key. */
export type ConversationStoreAccess = 'read' | 'readUpdate' | 'readPutUpdate' | 'readWrite' | 'putGet';

const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

/**
 * The single conversation table (customers, identities, conversations, messages, orders, dedupe
 * records), shaped by the same definition the adapters and the sandbox use.
 */
export class ConversationStore extends Construct {
  readonly table: Table;
  private readonly encryptionKey: IKey;
  /** The indexes this table has; a retired one stays readable while its replacement backfills. */
  private readonly indexNames: readonly string[];

  constructor(scope: Construct, id: string, props: ConversationStoreProps) {
    super(scope, id);
    const retainData = props.retainData ?? true;
    this.encryptionKey = props.encryptionKey;
    this.indexNames = tableIndexes({ keepRetired: props.keepRetiredIndexes ?? false }).map((i) => i.name);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: conversationTable.partitionKey, type: AttributeType.STRING },
      sortKey: { name: conversationTable.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: conversationTable.timeToLiveAttribute,
      ...(props.streamChanges ? { stream: StreamViewType[conversationTable.streamViewType] } : {}),
      deletionProtection: retainData,
      removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of tableIndexes({ keepRetired: props.keepRetiredIndexes ?? false })) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType[index.projection],
      });
    }
  }

  /**
   * Grants item-level access to the table and its named indexes, to the items of `fn`'s key
   * prefixes only (key-prefixes.ts). Spelled out instead of `grantReadWriteData` so that Scan is
   * not allowed anywhere (every read path is a Get or a Query) and no wildcard action or index ARN
   * reaches a function's policy.
   */
  grantItemAccess(grantee: IGrantable, access: ConversationStoreAccess, fn: TableFunction): void {
    const indexArns = this.indexNames.map((name) => `${this.table.tableArn}/index/${name}`);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions:
          access === 'readWrite'
            ? [...READ_ACTIONS, ...WRITE_ACTIONS]
            : access === 'readUpdate'
              ? [...READ_ACTIONS, 'dynamodb:UpdateItem']
              : access === 'readPutUpdate'
                ? [...READ_ACTIONS, 'dynamodb:PutItem', 'dynamodb:UpdateItem']
                : access === 'putGet'
                  ? ['dynamodb:GetItem', 'dynamodb:PutItem']
                  : READ_ACTIONS,
        resources: [this.table.tableArn, ...indexArns],
        conditions: itemAccessCondition(fn),
      }),
    );
    // DynamoDB checks the caller's right to use the table key on reads and writes.
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions:
          access !== 'read'
            ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']
            : ['kms:Decrypt', 'kms:DescribeKey'],
        resources: [this.encryptionKey.keyArn],
      }),
    );
  }

  /** The table name as the functions expect it in TABLE_NAME. */
  get tableName(): string {
    return this.table.tableName;
  }
}
