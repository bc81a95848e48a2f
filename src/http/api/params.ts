/**
 * Reading and checking request input for the /api handlers: query integers and JSON body
 * fields. Every failure is a 400 whose message names the parameter and what it expects.
 */
import { badRequest } from '../http-error.ts';

/** An integer query parameter in [min, max]; `fallback` when absent (undefined = required). */
export function queryInt(query: URLSearchParams, name: string, min: number, max: number, fallback?: number): number {
  const text = query.get(name);
  if (text === null || text === '') {
    if (fallback === undefined) throw badRequest(`query parameter '${name}' is required`);
    return fallback;
  }
  return checkInt(Number(text), name, min, max);
}

/** The object a JSON body must be; a missing or non-object body is a 400. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('expected a JSON object as the request body');
  }
  return body as Record<string, unknown>;
}

export function optionalInt(obj: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const value = obj[name];
  if (value === undefined || value === null) return undefined;
  return checkInt(value, name, min, max);
}

export function requiredString(obj: Record<string, unknown>, name: string): string {
  const value = obj[name];
  if (typeof value !== 'string' || value === '') throw badRequest(`'${name}' must be a non-empty string`);
  return value;
}

/** A map of string values (e.g. configs); numbers and booleans are accepted and stringified. */
export function stringMap(obj: Record<string, unknown>, name: string): Record<string, string> {
  const value = obj[name];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest(`'${name}' must be an object of key: value`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw badRequest(`'${name}.${key}' must be a string, number or boolean`);
    }
    out[key] = String(v);
  }
  return out;
}

export function stringList(obj: Record<string, unknown>, name: string): string[] {
  const value = obj[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw badRequest(`'${name}' must be an array of strings`);
  return value as string[];
}

function checkInt(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw badRequest(`'${name}' must be an integer from ${min} to ${max}`);
  }
  return value;
}
