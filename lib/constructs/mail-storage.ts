import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AGENT_UPLOAD_FOLDER } from '../../functions/core/agent/attachments.ts';
import { CHAT_UPLOAD_FOLDER } from '../../functions/core/chat/uploads.ts';
import { MESSAGE_BODY_FOLDER } from '../../functions/core/conversations/long-body.ts';
import type { Encryption } from './encryption.ts';

export interface MailStorageProps {
  /** The customer-managed key raw mail and attachments are encrypted with. */
  readonly encryption: Encryption;
  /**
   * Where SES stores each received message (`<prefix><SES message id>`).
   * @default 'inbound/'
   */
  readonly rawMailPrefix?: string;
  /**
   * Where the inbound function stores extracted attachments.
   * @default 'attachments/'
   */
  readonly attachmentPrefix?: string;
  /**
   * Days a raw message is kept. It is only needed to reprocess a message; the parsed text and the
   * attachments are stored separately.
   * @default 90
   */
  readonly rawMailRetentionDays?: number;
  /**
   * Days S3 server access logs are kept.
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
  /**
   * Keep both buckets when they leave the stack. When false they are destroyed with the stack,
   * which CloudFormation refuses for a bucket that still holds objects.
   * @default true
   */
  readonly retainData?: boolean;
}

/** What a function may do with the mail bucket. */
export interface MailAccess {
  /** Read raw messages under the raw-mail prefix. @default false */
  readonly readRawMail?: boolean;
  /** Store attachments under the attachment prefix. @default false */
  readonly writeAttachments?: boolean;
  /** Read stored attachments (to send them on). @default false */
  readonly readAttachments?: boolean;
  /**
   * Sign browser uploads into the chat folder of the attachment prefix (a presigned POST acts
   * with the signer's rights) and check what was stored there; nothing outside it. @default false
   */
  readonly chatUploads?: boolean;
  /**
   * Sign agents' uploads into the agent folder of the attachment prefix and check what was stored
   * there (the agent API); nothing outside it. @default false
   */
  readonly agentUploads?: boolean;
  /** Read the agent folder (the dispatcher attaches those files to email answers). @default false */
  readonly readAgentUploads?: boolean;
  /**
   * Read the long message bodies kept beside their items (the agent API, where an agent opens a
   * conversation); nothing else of the attachment prefix. @default false
   */
  readonly readMessageBodies?: boolean;
}

/**
 * The mail bucket (raw MIME from SES, extracted attachments) and the bucket its access logs go to.
 * Raw mail expires; attachments stay as long as the messages that reference them.
 */
export class MailStorage extends Construct {
  readonly bucket: Bucket;
  readonly accessLogBucket: Bucket;
  readonly rawMailPrefix: string;
  readonly attachmentPrefix: string;
  private readonly encryption: Encryption;

  constructor(scope: Construct, id: string, props: MailStorageProps) {
    super(scope, id);
    this.encryption = props.encryption;
    this.rawMailPrefix = props.rawMailPrefix ?? 'inbound/';
    this.attachmentPrefix = props.attachmentPrefix ?? 'attachments/';
    for (const prefix of [this.rawMailPrefix, this.attachmentPrefix]) {
      if (!/^[a-z0-9][a-z0-9-]*\/$/.test(prefix)) {
        throw new Error(
          `mail bucket prefix "${prefix}" must be lowercase letters, digits or "-" ending in "/"`,
        );
      }
    }
    if (
      this.rawMailPrefix.startsWith(this.attachmentPrefix) ||
      this.attachmentPrefix.startsWith(this.rawMailPrefix)
    ) {
      throw new Error(
        'the raw-mail and attachment prefixes must not overlap: raw mail expires, attachments do not',
      );
    }
    const retainData = props.retainData ?? true;
    const removalPolicy = retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.accessLogBucket = new Bucket(this, 'AccessLogs', {
      // S3 server access logging can only deliver to a bucket encrypted with S3-managed keys.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(props.accessLogRetentionDays ?? 365),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy,
    });

    this.bucket = new Bucket(this, 'Mail', {
      encryption: BucketEncryption.KMS,
      encryptionKey: props.encryption.key,
      // One KMS data key per bucket and period instead of one per object: far fewer KMS calls.
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // A mistaken delete or overwrite of customer mail stays recoverable for a while.
      versioned: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'mail/',
      lifecycleRules: [
        {
          id: 'expire-raw-mail',
          prefix: this.rawMailPrefix,
          expiration: Duration.days(props.rawMailRetentionDays ?? 90),
          // Versioning keeps an expired message as a noncurrent version; it has no use after that.
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'clean-up',
          abortIncompleteMultipartUploadAfter: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(30),
          expiredObjectDeleteMarker: true,
        },
      ],
      removalPolicy,
    });
  }

  /**
   * Lets one SES receipt rule store raw mail under the raw-mail prefix, and only that rule: the
   * `aws:SourceArn` condition keeps other rule sets (of this or any account) from writing here.
   */
  allowSesReceiptRule(receiptRuleArn: string): void {
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'SesReceiptRuleStoresRawMail',
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${this.rawMailPrefix}*`)],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': receiptRuleArn },
        },
      }),
    );
    this.encryption.allowSesReceiptRule(receiptRuleArn);
  }

  /**
   * Grants object-level access per prefix with exact actions (no `s3:GetObject*`-style wildcards),
   * plus the key use each needs.
   */
  grantMailAccess(grantee: IGrantable, access: MailAccess): void {
    const principal = grantee.grantPrincipal;
    const readable = [
      ...(access.readRawMail ? [this.bucket.arnForObjects(`${this.rawMailPrefix}*`)] : []),
      ...(access.readAttachments ? [this.bucket.arnForObjects(`${this.attachmentPrefix}*`)] : []),
      ...(access.readMessageBodies && !access.readAttachments
        ? [this.bucket.arnForObjects(this.messageBodyPattern)]
        : []),
    ];
    if (readable.length > 0) {
      principal.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: readable }));
    }
    if (access.chatUploads) {
      principal.addToPrincipalPolicy(
        new PolicyStatement({
          // HeadObject is authorized by s3:GetObject.
          actions: ['s3:PutObject', 's3:GetObject'],
          resources: [this.bucket.arnForObjects(this.chatUploadPattern)],
        }),
      );
    }
    if (access.agentUploads || access.readAgentUploads) {
      principal.addToPrincipalPolicy(
        new PolicyStatement({
          // HeadObject is authorized by s3:GetObject; a presigned POST acts with s3:PutObject.
          actions: access.agentUploads ? ['s3:PutObject', 's3:GetObject'] : ['s3:GetObject'],
          resources: [this.bucket.arnForObjects(this.agentUploadPattern)],
        }),
      );
    }
    if (access.writeAttachments) {
      principal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['s3:PutObject'],
          resources: [this.bucket.arnForObjects(`${this.attachmentPrefix}*`)],
        }),
      );
    }
    const writes = access.writeAttachments || access.chatUploads || access.agentUploads;
    const keyActions = [
      ...(readable.length > 0 || writes || access.readAgentUploads ? ['kms:Decrypt'] : []),
      ...(writes ? ['kms:GenerateDataKey'] : []),
    ];
    if (keyActions.length > 0) {
      principal.addToPrincipalPolicy(
        new PolicyStatement({ actions: keyActions, resources: [this.encryption.key.keyArn] }),
      );
    }
  }

  /** The object-ARN patterns a grant of `access` contains, for acknowledging them precisely. */
  objectArnPatterns(access: MailAccess): string[] {
    return [
      ...(access.readRawMail ? [`${this.rawMailPrefix}*`] : []),
      ...(access.readAttachments || access.writeAttachments ? [`${this.attachmentPrefix}*`] : []),
      ...(access.chatUploads ? [this.chatUploadPattern] : []),
      ...(access.agentUploads || access.readAgentUploads ? [this.agentUploadPattern] : []),
      ...(access.readMessageBodies && !access.readAttachments ? [this.messageBodyPattern] : []),
    ];
  }

  /** Where long message bodies go: beside the attachments, in a folder of their own. */
  get messageBodyPattern(): string {
    return `${this.attachmentPrefix}${MESSAGE_BODY_FOLDER}*`;
  }

  /** Where the chat widget's files go: beside email attachments, in a folder of their own. */
  get chatUploadPattern(): string {
    return `${this.attachmentPrefix}${CHAT_UPLOAD_FOLDER}*`;
  }

  /** Where agents' reply files go: beside the chat uploads, in a folder of their own. */
  get agentUploadPattern(): string {
    return `${this.attachmentPrefix}${AGENT_UPLOAD_FOLDER}*`;
  }

  /**
   * Lets the shop's pages POST presigned uploads straight to the bucket (CORS); the presigned
   * policy, not CORS, decides what may be written.
   */
  allowBrowserUploads(origins: readonly string[]): void {
    this.bucket.addCorsRule({
      allowedMethods: [HttpMethods.POST],
      allowedOrigins: [...origins],
      allowedHeaders: ['*'],
      maxAge: 3_600,
    });
  }
}
