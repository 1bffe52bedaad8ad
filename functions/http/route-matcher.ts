import type { RouteDefinition } from '../routes.js';

export interface RouteMatch {
  readonly route: RouteDefinition;
  readonly pathParameters: Record<string, string> | undefined;
}

/**
 * Matches requests to the route table like API Gateway (used by the local API, and by the fallback
 * function to tell 404 from 405): `{name}` matches one path segment, which is
 * URL-decoded into `pathParameters`; a path that no route matches, or a method the path does not have, is
 * "Not Found" (HTTP APIs answer 404 for both).
 */
export class RouteMatcher {
  private readonly compiled: Array<{ route: RouteDefinition; pattern: RegExp; names: string[] }>;

  constructor(routes: readonly RouteDefinition[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const segments = route.path.split('/').map((segment) => {
        const param = /^\{(\w+)\}$/.exec(segment)?.[1];
        if (param === undefined) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(param);
        return '([^/]+)';
      });
      return { route, pattern: new RegExp(`^${segments.join('/')}$`), names };
    });
  }

  match(method: string, rawPath: string): RouteMatch | undefined {
    for (const { route, pattern, names } of this.compiled) {
      if (route.method !== method) continue;
      const found = pattern.exec(rawPath);
      if (!found) continue;
      if (names.length === 0) return { route, pathParameters: undefined };
      const pathParameters: Record<string, string> = {};
      names.forEach((name, i) => {
        pathParameters[name] = decodeSegment(found[i + 1] ?? '');
      });
      return { route, pathParameters };
    }
    return undefined;
  }

  /** Methods some route offers on this path (405's `Allow`, CORS preflights). */
  methodsFor(rawPath: string): string[] {
    return this.compiled.filter((c) => c.pattern.test(rawPath)).map((c) => c.route.method);
  }
}

/**
 * A segment that is not valid percent-encoding (`%E0%A4%A`) is passed on as it is, so the route's own
 * validation refuses it with a 400 naming the parameter, instead of the path looking unmatched.
 */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
