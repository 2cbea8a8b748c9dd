import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as z from 'zod';
import { CONFIG_CONTEXT_KEY, type DeploymentConfigInput, deploymentConfigSchema } from '../../lib/config.ts';

/**
 * docs/configuration.md, generated: every setting of the deployment config with its type,
 * default and whether it is required read off the zod schema (`z.toJSONSchema`, input side),
 * and its meaning read off the JSDoc comment on its key (the TypeScript compiler follows the
 * schema's inferred input type back to the property that declared it). Nothing is typed twice,
 * so the page cannot say what the schema does not.
 */

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Every optional channel and feature, turned on: the block the configuration page and the channel
 * recipes show. Type-checked here, validated and synthesized by test/infra/config.test.ts.
 */
export const EVERY_CHANNEL = {
  sms: { originationIdentity: 'phone-0123456789abcdef0123456789abcdef', ownNumbers: ['+908501234567'] },
  meta: { whatsappPhoneNumberId: '106540352242922' },
  shop: {},
  agents: {
    jwt: {
      issuer: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Example1',
      audience: ['your-agent-app-client-id'],
    },
  },
  connect: {
    instanceArn: 'arn:aws:connect:eu-central-1:111122223333:instance/5a1db0c5-0000-4000-8000-00000000c0de',
  },
  chat: {},
  help: { baseUrl: 'https://help.shop.example' },
} as const satisfies Partial<DeploymentConfigInput>;

/** One row of the settings table. */
export interface SettingRow {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly defaultValue?: unknown;
  readonly meaning: string;
}

type JsonSchema = {
  readonly type?: string | readonly string[];
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly additionalProperties?: JsonSchema | boolean;
  readonly propertyNames?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly default?: unknown;
  readonly description?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
};

/** The JSDoc comment of each setting, by dotted path (`support.sms.quietHours`, `support.faq[].id`). */
export function settingComments(): Map<string, string> {
  const configFile = `${PROJECT_ROOT}lib/config.ts`;
  const program = lightProgram([configFile], /\/node_modules\/zod\//);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(configFile);
  const alias = source?.statements.find(
    (s): s is ts.TypeAliasDeclaration =>
      ts.isTypeAliasDeclaration(s) &&
      s.name.text === ('DeploymentConfigInput' satisfies 'DeploymentConfigInput'),
  );
  if (!alias) throw new Error('lib/config.ts no longer exports the type DeploymentConfigInput');
  const comments = new Map<string, string>();
  const visit = (type: ts.Type, prefix: string, depth: number): void => {
    if (depth > 8) return;
    for (const member of objectMembers(checker, type)) {
      for (const property of member.getProperties()) {
        const path = `${prefix}${property.name}`;
        const text = ts.displayPartsToString(property.getDocumentationComment(checker)).trim();
        if (text && !comments.has(path)) comments.set(path, text.replace(/\s*\n\s*/g, ' '));
        const propertyType = checker.getNonNullableType(checker.getTypeOfSymbol(property));
        if (checker.isArrayType(propertyType)) {
          const element = checker.getTypeArguments(propertyType as ts.TypeReference)[0];
          if (element) visit(element, `${path}[].`, depth + 1);
        } else {
          visit(propertyType, `${path}.`, depth + 1);
        }
      }
    }
  };
  visit(checker.getTypeAtLocation(alias.name), '', 0);
  return comments;
}

/** The object types a (possibly optional or union) type stands for; strings, numbers and functions have none. */
function objectMembers(checker: ts.TypeChecker, type: ts.Type): ts.Type[] {
  const plain = checker.getNonNullableType(type);
  const members = plain.isUnion() ? plain.types : [plain];
  return members.filter(
    (t) =>
      (t.flags & ts.TypeFlags.Object) !== 0 &&
      t.getCallSignatures().length === 0 &&
      !checker.isArrayType(t) &&
      !checker.isTupleType(t),
  );
}

/**
 * A program over our sources that reads, of node_modules, only the packages `keep` matches (and
 * TypeScript's own lib files): the rest are empty modules, their types `any`. What the docs read
 * (comments on config keys, port interfaces) is declared in this repository, and skipping the
 * AWS SDK and CDK declarations makes the program seconds instead of a minute.
 */
export function lightProgram(rootNames: readonly string[], keep: RegExp): ts.Program {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options, true);
  const readFile = host.readFile.bind(host);
  const typescriptLib = /\/node_modules\/typescript\/lib\//;
  host.readFile = (fileName) =>
    fileName.includes('/node_modules/') && !typescriptLib.test(fileName) && !keep.test(fileName)
      ? 'export {};'
      : readFile(fileName);
  return ts.createProgram({ rootNames, options: { ...options, types: [] }, host });
}

export function compilerOptions(): ts.CompilerOptions {
  const path = `${PROJECT_ROOT}tsconfig.json`;
  const read = ts.readConfigFile(path, (p) => ts.sys.readFile(p));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(read.config, ts.sys, PROJECT_ROOT).options;
}

/** Every setting, depth first in schema order, with what the schema and its comments say. */
export function settingRows(comments: Map<string, string> = settingComments()): SettingRow[] {
  const schema = z.toJSONSchema(deploymentConfigSchema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  const rows: SettingRow[] = [];
  const visit = (node: JsonSchema, prefix: string): void => {
    const object = objectOf(node);
    if (!object?.properties) return;
    for (const [key, child] of Object.entries(object.properties)) {
      const path = `${prefix}${key}`;
      rows.push({
        path,
        type: typeOf(child),
        required: object.required?.includes(key) ?? false,
        ...(child.default !== undefined ? { defaultValue: child.default } : {}),
        meaning: comments.get(path) ?? child.description ?? '',
      });
      const items = arrayItems(child);
      if (items) visit(items, `${path}[].`);
      else visit(child, `${path}.`);
    }
  };
  visit(schema, '');
  return rows;
}

/** The object schema a node is, or is optionally (`anyOf` with one object member). */
function objectOf(node: JsonSchema): JsonSchema | undefined {
  if (node.properties) return node;
  return node.anyOf?.find((member) => member.properties);
}

function arrayItems(node: JsonSchema): JsonSchema | undefined {
  if (node.type === 'array') return node.items;
  return node.anyOf?.find((member) => member.type === 'array')?.items;
}

/** The type in a few words: `integer 1–10080`, `list of email address`, `one of DEBUG, INFO`. */
export function typeOf(node: JsonSchema): string {
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum) return `one of ${node.enum.map((v) => `\`${String(v)}\``).join(', ')}`;
  if (node.anyOf) return [...new Set(node.anyOf.map(typeOf))].join(' or ');
  switch (node.type) {
    case 'string':
      if (node.format === 'email') return 'email address';
      if (node.format === 'uri') return 'URL';
      return 'string';
    case 'integer':
    case 'number':
      return `${node.type === 'integer' ? 'integer' : 'number'}${range(node)}`;
    case 'boolean':
      return 'boolean';
    case 'array': {
      const count =
        node.minItems !== undefined || node.maxItems !== undefined
          ? ` (${node.minItems ?? 0}–${node.maxItems ?? '…'})`
          : '';
      return `list${count} of ${node.items ? typeOf(node.items) : 'anything'}`;
    }
    case 'object':
      if (node.properties) return 'object';
      if (node.additionalProperties && typeof node.additionalProperties === 'object') {
        const keys = node.propertyNames?.enum
          ? node.propertyNames.enum.map(String).join('/')
          : node.propertyNames
            ? typeOf(node.propertyNames)
            : 'string';
        return `map of ${keys} to ${typeOf(node.additionalProperties)}`;
      }
      return 'object';
    default:
      return 'any';
  }
}

/** Bounds as zod states them; the safe-integer limits zod adds to every `int()` say nothing. */
function range(node: JsonSchema): string {
  const bound = (n: number | undefined) =>
    n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined;
  const maximum = bound(node.maximum);
  const exclusive = bound(node.exclusiveMinimum);
  const minimum =
    bound(node.minimum) ?? (exclusive !== undefined && node.type === 'integer' ? exclusive + 1 : undefined);
  if (minimum !== undefined) return maximum !== undefined ? ` ${minimum}–${maximum}` : ` ≥ ${minimum}`;
  if (exclusive !== undefined) return ` > ${exclusive}${maximum !== undefined ? `, ≤ ${maximum}` : ''}`;
  return maximum !== undefined ? ` ≤ ${maximum}` : '';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function defaultText(value: unknown): string {
  if (value === undefined) return '';
  const json = JSON.stringify(value);
  return `\`${json.length > 80 ? `${json.slice(0, 77)}…` : json}\``;
}

/** The whole page. */
export function renderConfigurationPage(rows: readonly SettingRow[] = settingRows()): string {
  const table = rows.map(
    (row) =>
      `| \`${row.path}\` | ${cell(row.type)} | ${row.required ? 'yes' : ''} | ${cell(defaultText(row.defaultValue))} | ${cell(row.meaning)} |`,
  );
  return `<!-- Generated by \`npm run docs\` from lib/config.ts (the zod schema and the comments on its keys). Do not edit: change the schema and run it again; \`npm test\` fails while this file differs. -->

# Configuration

Everything lives under the \`${CONFIG_CONTEXT_KEY}\` key of the \`context\` in \`cdk.json\` (or
\`-c ${CONFIG_CONTEXT_KEY}='<json>'\`) and is validated when you synthesize. The sandbox (\`npm start\`, replay)
runs the same settings, validated the same way, so what you see locally is what you deploy.

A wrong setting stops \`cdk synth\` with one line per problem, e.g.
\`switchboard.support.businessHours.timezone: use an IANA time zone name, for example "Europe/Istanbul"\`.
A setting that does not exist is refused with the one probably meant
(\`switchboard.agent: "agent" is not a setting here: did you mean agents?\`), a missing one says
\`is required\`, and a mistake is reported once (no "open must be before close" after a wrong time).

\`support\` is the shop (addresses, languages, hours, targets, FAQ). Every optional channel or
feature is a **top-level section** next to it: present, it is deployed (\`{}\` turns one on with its
defaults); absent, none of its resources exist. The example \`cdk.json\` deploys email only. To
turn on every channel, add this next to \`"support"\` and fill in your ids (**every channel**):

\`\`\`json
${JSON.stringify(EVERY_CHANNEL, null, 2)}
\`\`\`

Each channel's recipe in [channels/](channels/) says what to buy or set up outside the stack
for it. "Required" below means required once its section is present.

| setting | type | required | default | meaning |
|---|---|---|---|---|
${table.join('\n')}
`;
}
