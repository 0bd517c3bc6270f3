import type { OpenApiDocument, OpenApiOperation, OpenApiResponse } from '@twofold/api';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';

// ajv-formats is CommonJS: its plugin is `module.exports` and `module.exports.default`.
const addFormats = ajvFormats.default ?? (ajvFormats as unknown as typeof ajvFormats.default);

const DOCUMENT_ID = 'urn:twofold:openapi';

export interface ObservedResponse {
  method: string;
  /** The path requested, e.g. `/api/user/mfa/reset/3f1c…`. */
  path: string;
  status: number;
  headers: Headers;
  /** The raw body text ('' when empty). */
  text: string;
  /** What was sent: no body, a JSON value, or raw text (not checked). */
  request?: { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'raw' };
}

interface OperationEntry {
  method: string;
  template: string;
  pattern: RegExp;
  operation: OpenApiOperation;
}

const pointerPart = (value: string) => value.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks that a response is one the OpenAPI document promises: the operation exists, its
 * status is listed, the body is empty or valid JSON against the listed schema, and every
 * required header is present with a value of its schema. A request the server accepted
 * (2xx) must be valid against the documented request body. Throws with the reason otherwise.
 */
export class ResponseValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly operations: OperationEntry[];
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly compiledHeaders = new WeakMap<object, ValidateFunction>();

  constructor(readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema(document as object, DOCUMENT_ID);
    this.operations = Object.entries(document.paths).flatMap(([template, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        operation: operation as OpenApiOperation,
      })),
    );
  }

  /** The documented operation a request hits; templates without parameters win over those with. */
  operationFor(method: string, path: string): OperationEntry {
    const pathOnly = path.split('?')[0] ?? path;
    const matches = this.operations
      .filter((entry) => entry.method === method.toUpperCase() && entry.pattern.test(pathOnly))
      .sort((a, b) => a.template.split('{').length - b.template.split('{').length);
    const [match] = matches;
    if (!match) throw new Error(`OpenAPI: ${method} ${pathOnly} is not a documented operation`);
    return match;
  }

  validate(observed: ObservedResponse): void {
    const { template, method, operation } = this.operationFor(observed.method, observed.path);
    const where = `${method} ${template} → ${observed.status}`;
    const response = operation.responses[String(observed.status)];
    if (!response) {
      throw new Error(
        `OpenAPI: ${where} is not documented (documented: ${Object.keys(operation.responses).join(', ')}); body: ${observed.text}`,
      );
    }
    this.validateHeaders(where, response, observed.headers);
    this.validateBody(where, template, method, observed, response);
    if (observed.status >= 200 && observed.status < 300)
      this.validateAcceptedRequest(where, template, method, operation, observed);
  }

  /** A request the server accepted must be one the document allows: else the document is too strict. */
  private validateAcceptedRequest(
    where: string,
    template: string,
    method: string,
    operation: OpenApiOperation,
    observed: ObservedResponse,
  ): void {
    const request = observed.request;
    if (!request || request.kind === 'raw' || !operation.requestBody) return;
    if (request.kind === 'none') {
      if (operation.requestBody.required)
        throw new Error(`OpenAPI: ${where} accepted no body, documented as required`);
      return;
    }
    const check = this.compile(
      `#/paths/${pointerPart(template)}/${method.toLowerCase()}/requestBody/content/application~1json/schema`,
    );
    if (!check(request.value)) {
      throw new Error(
        `OpenAPI: ${where} accepted a request body the document refuses (${JSON.stringify(request.value)}): ${this.ajv.errorsText(check.errors)}`,
      );
    }
  }

  private compile(pointer: string): ValidateFunction {
    let check = this.compiled.get(pointer);
    if (!check) {
      check = this.ajv.compile({ $ref: `${DOCUMENT_ID}${pointer}` });
      this.compiled.set(pointer, check);
    }
    return check;
  }

  private validateHeaders(where: string, response: OpenApiResponse, headers: Headers): void {
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      const value = headers.get(name);
      if (value === null) {
        if (header.required) throw new Error(`OpenAPI: ${where} lacks the required header ${name}`);
        continue;
      }
      const isInteger = header.schema.type === 'integer';
      if (isInteger && !/^-?\d+$/.test(value)) {
        throw new Error(`OpenAPI: ${where} header ${name}=${value} is not an integer`);
      }
      let check = this.compiledHeaders.get(header.schema);
      if (!check) {
        check = this.ajv.compile(header.schema);
        this.compiledHeaders.set(header.schema, check);
      }
      if (!check(isInteger ? Number(value) : value)) {
        throw new Error(`OpenAPI: ${where} header ${name}=${value}: ${this.ajv.errorsText(check.errors)}`);
      }
    }
  }

  private validateBody(
    where: string,
    template: string,
    method: string,
    observed: ObservedResponse,
    response: OpenApiResponse,
  ): void {
    const content = response.content?.['application/json'];
    if (!content) {
      if (observed.text !== '')
        throw new Error(`OpenAPI: ${where} must have an empty body, got ${observed.text}`);
      return;
    }
    const contentType = observed.headers.get('content-type') ?? '';
    if (!/^application\/json/i.test(contentType)) {
      throw new Error(`OpenAPI: ${where} has content type "${contentType}", not application/json`);
    }
    let body: unknown;
    try {
      body = JSON.parse(observed.text);
    } catch {
      throw new Error(`OpenAPI: ${where} body is not JSON: ${observed.text}`);
    }
    const check = this.compile(
      `#/paths/${pointerPart(template)}/${method.toLowerCase()}/responses/${observed.status}/content/application~1json/schema`,
    );
    if (!check(body)) {
      throw new Error(
        `OpenAPI: ${where} body ${observed.text} does not match: ${this.ajv.errorsText(check.errors)}`,
      );
    }
  }
}
