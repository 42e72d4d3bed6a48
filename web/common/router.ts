import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (`#/cases/01J…`): the apps are static files, so every page is `index.html` and the
 * hosting needs no rewrite rules. `?lang=en` stays in the query, outside the hash.
 */
export function currentPath(): string {
  const path = window.location.hash.replace(/^#/, '');
  return path.startsWith('/') ? path : '/';
}

/** The current hash path; re-renders on navigation. */
export function usePath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return path;
}

/** Goes to a hash path. */
export function navigate(path: string): void {
  window.location.hash = path;
}

/** Matches `/cases/:taskId` against a path; the parameters, or `undefined`. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((part) => {
      if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(part.slice(1));
      return '([^/]+)';
    })
    .join('/');
  const match = new RegExp(`^${source}$`).exec(path.split('?')[0] ?? '');
  if (!match) return undefined;
  const params: Record<string, string> = {};
  names.forEach((name, index) => {
    params[name] = decodeURIComponent(match[index + 1] ?? '');
  });
  return params;
}

/** An `href` for a hash path that keeps the page's query (the language). */
export function hrefOf(path: string): string {
  return `${window.location.search}#${path}`;
}
