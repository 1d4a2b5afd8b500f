// The image's HEALTHCHECK (slim images have no curl): posts `{ health { store } }` to the
// service's /graphql and exits 0 when it answers with the store's name, 1 otherwise.
//   node docker/healthcheck.mjs            (PORT from the environment, default 3000)
const port = process.env.PORT || '3000';
const url = process.env.HEALTHCHECK_URL || `http://127.0.0.1:${port}/graphql`;

try {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ health { store } }' }),
    signal: AbortSignal.timeout(5000),
  });
  const body = await response.json();
  const store = body?.data?.health?.store;
  if (response.ok && typeof store === 'string' && !body.errors) {
    console.log(`healthy (event store: ${store})`);
    process.exit(0);
  }
  console.error(`unhealthy: HTTP ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
} catch (error) {
  console.error(`unhealthy: ${error instanceof Error ? error.message : error}`);
}
process.exit(1);
