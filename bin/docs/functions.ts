import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import ts from 'typescript';
import {
  type EnvironmentVariable,
  FUNCTION_ENVIRONMENT,
  FUNCTION_SCHEMAS,
  type FunctionSchema,
  type Requirement,
} from '../../functions/adapters/environment.ts';
import { type DeploymentConfigInput, parseDeploymentConfig } from '../../lib/config.ts';
import { SupportFunction } from '../../lib/constructs/support-function.ts';
import { addSwitchboard } from '../../lib/switchboard-app.ts';
import { EVERY_CHANNEL, lightProgram, PROJECT_ROOT } from './configuration.ts';

/**
 * What each Lambda function of the stack is, read from the code: its entry, its environment schema
 * (FUNCTION_SCHEMAS in functions/adapters/environment.ts: each variable required or optional, with
 * its meaning) beside what its construct sets (synthesized with every channel and option on,
 * without bundling, as the infra tests do), and the ports its handler's dependencies name (the
 * TypeScript compiler on the `make…Handler` factory's parameters).
 */

/** Every channel plus the options that add variables of their own, so every variable shows. */
export function everyOptionConfig(): DeploymentConfigInput {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context: { switchboard: DeploymentConfigInput };
  };
  const example = cdkJson.context.switchboard;
  return {
    ...example,
    ...structuredClone(EVERY_CHANNEL),
    sms: {
      ...EVERY_CHANNEL.sms,
      ownNumbers: [...EVERY_CHANNEL.sms.ownNumbers],
      configurationSetName: 'support',
    },
    shop: { legacyBodySignature: true },
    chat: { ...EVERY_CHANNEL.chat, allowedOrigins: ['https://shop.example'], attachments: {} },
    sourceMapStackTraces: true,
    agents: {
      jwt: { ...EVERY_CHANNEL.agents.jwt, audience: [...EVERY_CHANNEL.agents.jwt.audience] },
      repliesOnlyByAssignee: true,
    },
    connect: {
      ...EVERY_CHANNEL.connect,
      taskContactFlowId: '0c0ffee0-0000-4000-8000-000000000001',
      conversationUrlTemplate: 'https://inbox.shop.example/conversations/{conversationId}',
      vipCustomerIds: ['c-vip'],
    },
    support: {
      ...example.support,
      assistant: { modelId: 'amazon.nova-lite-v1:0', guardrailId: 'a1b2c3d4e5f6', guardrailVersion: '1' },
    },
  };
}

export interface FunctionDescription {
  /** The function's name (its handler's and its composition module's): `inbound-email`. */
  readonly name: string;
  /** The Lambda entry point, relative to the project: `functions/composition/inbound-email.ts`. */
  readonly entry: string;
  /** The construct path: `Switchboard/InboundEmail/Function`. */
  readonly constructPath: string;
  /** The CloudFormation logical id of the function. */
  readonly logicalId: string;
  /** The variables the construct sets, in the order it sets them. */
  readonly environment: readonly string[];
  /** What the function reads (its settings loader), required or optional: FUNCTION_SCHEMAS. */
  readonly schema: FunctionSchema;
  /** The port interfaces the handler's dependencies name, sorted. */
  readonly ports: readonly string[];
}

export interface SynthesizedFunctions {
  readonly functions: readonly FunctionDescription[];
  /** The synthesized template's Lambda functions: logical id → environment variable names. */
  readonly templateEnvironment: ReadonlyMap<string, readonly string[]>;
}

/** Synthesizes the stack (no bundling) and describes each of its functions. */
export function describeFunctions(config: DeploymentConfigInput = everyOptionConfig()): SynthesizedFunctions {
  const { switchboard: _example, ...flags } = (
    JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
  ).context;
  const outdir = mkdtempSync(join(tmpdir(), 'switchboard-functions-'));
  try {
    const app = new App({ outdir, context: { ...flags, 'aws:cdk:bundling-stacks': [] } });
    const stack = addSwitchboard(app, parseDeploymentConfig(config));
    const assembly = app.synth();
    const supportFunctions = stack.node
      .findAll()
      .filter((c): c is SupportFunction => c instanceof SupportFunction);
    const entries = supportFunctions.map((fn) => relative(PROJECT_ROOT, fn.entry));
    // The entry is the function's composition module; its ports are what its handler takes.
    const ports = handlerPorts(supportFunctions.map((fn) => handlerFileOf(fn.functionName)));
    const functions = supportFunctions.map((fn, index): FunctionDescription => {
      const cfn = fn.lambdaFunction.node.defaultChild as CfnFunction;
      const resolved = Stack.of(fn).resolve(cfn.environment) as
        | { variables?: Record<string, unknown> }
        | undefined;
      const entry = entries[index] ?? '';
      return {
        name: fn.functionName,
        entry,
        constructPath: fn.node.path,
        logicalId: Stack.of(fn).getLogicalId(cfn),
        environment: Object.keys(resolved?.variables ?? {}),
        schema: FUNCTION_SCHEMAS[fn.functionName],
        ports: ports.get(handlerFileOf(fn.functionName)) ?? [],
      };
    });
    const template = assembly.getStackByName(stack.stackName).template as {
      Resources: Record<string, { Type: string; Properties?: { Environment?: { Variables?: object } } }>;
    };
    const templateEnvironment = new Map(
      Object.entries(template.Resources)
        .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
        .map(([id, r]) => [id, Object.keys(r.Properties?.Environment?.Variables ?? {})] as const),
    );
    return { functions, templateEnvironment };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The handler a function's composition module wires: `functions/handlers/<name>.ts`. */
export function handlerFileOf(name: string): string {
  return `functions/handlers/${name}.ts`;
}

/**
 * The ports of each handler: the interfaces (and classes) with methods that its `make…Handler`
 * factory's parameters name, directly or through `…Deps` objects, declared under functions/.
 */
export function handlerPorts(entries: readonly string[]): Map<string, string[]> {
  const files = [...new Set(entries)].map((entry) => join(PROJECT_ROOT, entry));
  const program = lightProgram(files, /\/node_modules\/(zod|@types\/aws-lambda)\//);
  const checker = program.getTypeChecker();
  const result = new Map<string, string[]>();
  for (const entry of new Set(entries)) {
    const source = program.getSourceFile(join(PROJECT_ROOT, entry));
    if (!source) throw new Error(`${entry} is not part of the program`);
    const ports = new Set<string>();
    const factories = source.statements.filter(
      (s): s is ts.FunctionDeclaration =>
        ts.isFunctionDeclaration(s) &&
        /^make\w*Handler$/.test(s.name?.text ?? '') &&
        (ts.getCombinedModifierFlags(s) & ts.ModifierFlags.Export) !== 0,
    );
    if (factories.length === 0) throw new Error(`${entry} exports no make…Handler factory`);
    for (const factory of factories) {
      for (const parameter of factory.parameters) {
        collectPorts(
          checker,
          dependencyOf(checker, checker.getTypeAtLocation(parameter)),
          ports,
          new Set(),
          0,
        );
      }
    }
    result.set(entry, mergePorts(ports));
  }
  return result;
}

/** `ConversationStore (get)` and `ConversationStore` are one port: the whole of it, or what all parts use. */
function mergePorts(found: ReadonlySet<string>): string[] {
  const byPort = new Map<string, Set<string> | 'whole'>();
  for (const entry of found) {
    const [, name = entry, methods] = /^(\w+)(?: \((.*)\))?$/.exec(entry) ?? [];
    const known = byPort.get(name);
    if (methods === undefined) byPort.set(name, 'whole');
    else if (known !== 'whole') byPort.set(name, new Set([...(known ?? []), ...methods.split(', ')]));
  }
  return [...byPort]
    .map(([name, used]) => (used === 'whole' ? name : `${name} (${[...used].sort().join(', ')})`))
    .sort();
}

/** `() => Deps` stands for `Deps`: handlers take their dependencies lazily. */
function dependencyOf(checker: ts.TypeChecker, type: ts.Type): ts.Type {
  const plain = checker.getNonNullableType(type);
  const [signature] = plain.getCallSignatures();
  if (signature && signature.getParameters().length === 0) return signature.getReturnType();
  return plain;
}

function declaredInFunctions(symbol: ts.Symbol | undefined): boolean {
  const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
  return file !== undefined && relative(PROJECT_ROOT, file).startsWith('functions/');
}

function hasMethods(checker: ts.TypeChecker, type: ts.Type): boolean {
  return type
    .getProperties()
    .some((p) => checker.getNonNullableType(checker.getTypeOfSymbol(p)).getCallSignatures().length > 0);
}

function collectPorts(
  checker: ts.TypeChecker,
  type: ts.Type,
  ports: Set<string>,
  seen: Set<ts.Type>,
  depth: number,
): void {
  const plain = checker.getNonNullableType(type);
  if (depth > 6 || seen.has(plain)) return;
  seen.add(plain);
  if (plain.isUnion() || plain.isIntersection()) {
    for (const member of plain.types) collectPorts(checker, member, ports, seen, depth + 1);
    return;
  }
  if ((plain.flags & ts.TypeFlags.Object) === 0 || checker.isArrayType(plain)) return;
  if (plain.getCallSignatures().length > 0) {
    collectPorts(checker, dependencyOf(checker, plain), ports, seen, depth + 1);
    return;
  }
  // `Pick<CustomerDirectory, 'findByIdentity'>`: the port, and the part of it the handler uses.
  const picked = plain.aliasSymbol?.getName() === 'Pick' ? plain.aliasTypeArguments?.[0] : undefined;
  if (picked) {
    const base = picked.aliasSymbol ?? picked.getSymbol();
    if (declaredInFunctions(base) && base) {
      const used = plain.getProperties().map((p) => p.getName());
      ports.add(`${base.getName()} (${used.sort().join(', ')})`);
      return;
    }
  }
  const symbol = plain.aliasSymbol ?? plain.getSymbol();
  const name = symbol?.getName() ?? '';
  const named = declaredInFunctions(symbol) && name !== '__type' && name !== '__object';
  if (named && !/(Deps|Settings|Config)$/.test(name) && hasMethods(checker, plain)) {
    ports.add(name);
    return;
  }
  for (const property of plain.getProperties()) {
    collectPorts(checker, checker.getTypeOfSymbol(property), ports, seen, depth + 1);
  }
}

function meaningOf(variable: string): string {
  const known = (FUNCTION_ENVIRONMENT as Record<string, EnvironmentVariable | undefined>)[variable];
  return known?.meaning ?? '(not in functions/adapters/environment.ts)';
}

function isLocalOnly(variable: string): boolean {
  return (
    (FUNCTION_ENVIRONMENT as Record<string, EnvironmentVariable | undefined>)[variable]?.localOnly === true
  );
}

/**
 * A function's variables: those its construct sets in that order, then those of its schema it
 * did not set (local only, or an option this deployment lacks), each with its requirement.
 */
export function variablesOf(
  fn: FunctionDescription,
): { name: string; requirement: Requirement; set: boolean }[] {
  const schema = fn.schema as Record<string, Requirement | undefined>;
  const unset = Object.keys(schema).filter((name) => !fn.environment.includes(name));
  return [
    ...fn.environment.map((name) => ({
      name,
      requirement: schema[name] ?? ('optional' as const),
      set: true,
    })),
    ...unset.map((name) => ({ name, requirement: schema[name] ?? ('optional' as const), set: false })),
  ];
}

/** `required`, `optional`, and for what the construct did not set: why. */
function requirementNote(variable: { name: string; requirement: Requirement; set: boolean }): string {
  if (variable.set) return variable.requirement;
  return isLocalOnly(variable.name)
    ? `${variable.requirement}, local only`
    : `${variable.requirement}, not set`;
}

/** The listing `npm run -s functions` prints. */
export function renderFunctionsText(functions: readonly FunctionDescription[]): string {
  const width = Math.max(...functions.flatMap((fn) => Object.keys(fn.schema).map((v) => v.length)));
  const noteWidth = Math.max(
    ...functions.flatMap((fn) => variablesOf(fn).map((v) => requirementNote(v).length)),
  );
  return functions
    .map((fn) =>
      [
        `${fn.name}  ${fn.entry}  (${fn.constructPath})`,
        ...variablesOf(fn).map(
          (v) =>
            `  env   ${v.name.padEnd(width)}  ${requirementNote(v).padEnd(noteWidth)}  ${meaningOf(v.name).replace(/`/g, '')}`,
        ),
        `  ports ${fn.ports.join(', ') || '(none)'}`,
      ].join('\n'),
    )
    .join('\n\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** docs/environment.md. */
export function renderEnvironmentPage(functions: readonly FunctionDescription[]): string {
  const usedBy = new Map<string, string[]>();
  for (const fn of functions)
    for (const v of fn.environment) usedBy.set(v, [...(usedBy.get(v) ?? []), fn.name]);
  const every = Object.entries(FUNCTION_ENVIRONMENT as Record<string, EnvironmentVariable>);
  const sections = functions.map((fn) =>
    [
      `### ${fn.name}`,
      '',
      `\`${fn.entry}\`, construct \`${fn.constructPath}\`.`,
      '',
      `Ports: ${fn.ports.map((p) => `\`${p}\``).join(', ') || 'none'}.`,
      '',
      '| variable | read as | meaning |',
      '|---|---|---|',
      ...variablesOf(fn).map((v) => `| \`${v.name}\` | ${requirementNote(v)} | ${cell(meaningOf(v.name))} |`),
    ].join('\n'),
  );
  return `<!-- Generated by \`npm run docs\` (bin/docs/functions.ts) from the synthesized stack, functions/adapters/environment.ts and the handlers' types. Do not edit; \`npm test\` fails while this file differs. -->

# Environment of each function

What each Lambda function reads — its schema in \`FUNCTION_SCHEMAS\`
(\`functions/adapters/environment.ts\`): a *required* variable missing at cold start stops the
function with a \`ConfigurationError\` naming it, an *optional* one switches a feature off — and
what its construct sets (\`SupportFunction.setEnvironment\` refuses a variable the schema does not
name), with every channel and every option that adds
a variable turned on (the "every channel" block of [configuration.md](configuration.md), plus
\`sms.configurationSetName\`, \`shop.legacyBodySignature\`, \`chat.attachments\`, \`agents.repliesOnlyByAssignee\`, the
Connect task flow, conversation link and VIP list, and \`support.assistant\`). A deployment without
a channel or option has fewer. "Ports" are the interfaces the handler's dependencies name
(\`functions/core/ports/\` and the use cases' own), read off the \`make…Handler\` factory of
\`functions/handlers/<name>.ts\`; the entry point is \`functions/composition/<name>.ts\`, which names
the function's clients and settings and builds those ports.

The same listing, in the terminal: \`npm run -s functions\`. The sandbox and the tests set the
variables marked local only.

## Every variable

| variable | meaning | functions |
|---|---|---|
${every
  .map(
    ([name, v]) =>
      `| \`${name}\` | ${cell(v.meaning)} | ${v.localOnly ? 'local only' : (usedBy.get(name) ?? []).join(', ')} |`,
  )
  .join('\n')}

## Per function

${sections.join('\n\n')}
`;
}
