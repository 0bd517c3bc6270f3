import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

/**
 * zod → JSON Schema 2020-12 (the dialect of OpenAPI 3.1), collected as named components.
 * Request bodies are converted as zod's input type (before transforms and defaults),
 * response bodies as its output type. A schema used by several operations is one component;
 * it is named by its `title` metadata, or after the first operation that uses it.
 */
export class SchemaComponents {
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly names = new Map<z.ZodType, Partial<Record<Io, string>>>();

  ref(schema: z.ZodType, io: Io, fallbackName: string): { $ref: string } {
    const known = this.names.get(schema)?.[io];
    if (known) return { $ref: `#/components/schemas/${known}` };
    const json = toJsonSchema(schema, io);
    const base = typeof json.title === 'string' ? json.title : fallbackName;
    const name = this.freeName(base, io);
    this.schemas[name] = json;
    this.names.set(schema, { ...this.names.get(schema), [io]: name });
    return { $ref: `#/components/schemas/${name}` };
  }

  private freeName(base: string, io: Io): string {
    if (!(base in this.schemas)) return base;
    const suffixed = `${base}${io === 'input' ? 'Input' : 'Output'}`;
    let name = suffixed;
    for (let i = 2; name in this.schemas; i += 1) name = `${suffixed}${i}`;
    return name;
  }
}

function toJsonSchema(schema: z.ZodType, io: Io): JsonSchema {
  // 'throw' on anything JSON Schema cannot say (an output transform, a custom check):
  // a document that silently widened a type would not describe the API.
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'throw',
  }) as JsonSchema;
  return json;
}
