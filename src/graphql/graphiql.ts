// GraphiQL without a CDN: the page loads its script, styles and Monaco workers from this server, which serves them
// from the installed @graphql-yoga/render-graphiql bundle (loaded on the first GraphiQL request, not at start-up).
import { createRequire } from 'node:module';
import type { GraphiQLOptions } from 'graphql-yoga';

const VERSION = (createRequire(import.meta.url)('@graphql-yoga/render-graphiql/package.json') as { version: string }).version;

/** Versioned, so browsers may cache the assets for good. */
export const GRAPHIQL_ASSETS = `/graphql/graphiql/${VERSION}`;

type Bundle = typeof import('@graphql-yoga/render-graphiql/graphiql');
let bundle: Promise<Bundle> | undefined;
const loadBundle = () => (bundle ??= import('@graphql-yoga/render-graphiql/graphiql'));

const ASSETS: Record<string, { type: string; body: (b: Bundle) => string | Blob }> = {
  'graphiql.js': { type: 'text/javascript; charset=utf-8', body: (b) => b.js },
  'graphiql.css': { type: 'text/css; charset=utf-8', body: (b) => b.css },
  'editor.worker.js': { type: 'text/javascript; charset=utf-8', body: (b) => b.editorWorkerService },
  'json.worker.js': { type: 'text/javascript; charset=utf-8', body: (b) => b.jsonWorker },
  'graphql.worker.js': { type: 'text/javascript; charset=utf-8', body: (b) => b.graphqlWorker },
  'favicon.ico': { type: 'image/x-icon', body: (b) => new Blob([Buffer.from(b.favicon.replace(/^data:[^,]*base64,/, ''), 'base64')]) },
};

/** One GraphiQL asset by file name, or null. */
export async function graphiqlAsset(name: string): Promise<Response | null> {
  const asset = ASSETS[name];
  if (!asset) return null;
  return new Response(asset.body(await loadBundle()), {
    headers: { 'Content-Type': asset.type, 'Cache-Control': 'public, max-age=31536000, immutable' },
  });
}

/** JSON inside an inline <script>: `<` escaped so that no value can close the script element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export function renderOfflineGraphiQL(options: GraphiQLOptions): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${(options.title ?? 'GraphiQL').replace(/[<&]/g, '')}</title>
    <link rel="icon" href="${GRAPHIQL_ASSETS}/favicon.ico" />
    <link rel="stylesheet" href="${GRAPHIQL_ASSETS}/graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script>
      const workers = { editorWorkerService: 'editor', json: 'json', graphql: 'graphql' };
      self.MonacoEnvironment = {
        globalAPI: false,
        getWorkerUrl: (_moduleId, label) => '${GRAPHIQL_ASSETS}/' + (workers[label] ?? 'editor') + '.worker.js',
      };
    </script>
    <script src="${GRAPHIQL_ASSETS}/graphiql.js"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${scriptJson(options)});
    </script>
  </body>
</html>`;
}
