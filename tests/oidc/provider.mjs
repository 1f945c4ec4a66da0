// A real OpenID Connect provider (oidc-provider) for tokenctl's SSO tests.
//
//   node provider.mjs --redirect-uri URI [--redirect-uri URI ...]
//
// Listens on a free 127.0.0.1 port and prints `listening on <issuer>` on
// stdout. Clients `runai-cli` (the one tokenctl logs in as) and `runai`
// (another client of the same tenant) are confidential: the fake Run:ai
// server redeems codes with their secrets, as Run:ai's backend does. The
// one user is alice / wonderland, who signs in on the login form below.
import http from 'node:http';
import { once } from 'node:events';
import Provider from 'oidc-provider';

const redirectUris = [];
for (let i = 2; i < process.argv.length; i += 1) {
  if (process.argv[i] === '--redirect-uri' && process.argv[i + 1]) {
    redirectUris.push(process.argv[i + 1]);
    i += 1;
  } else {
    console.error(`usage: node provider.mjs --redirect-uri URI [--redirect-uri URI ...]; got ${process.argv[i]}`);
    process.exit(2);
  }
}
if (redirectUris.length === 0) {
  console.error('at least one --redirect-uri is needed');
  process.exit(2);
}

export const USERS = { alice: 'wonderland' };

const client = (id, secret) => ({
  client_id: id,
  client_secret: secret,
  token_endpoint_auth_method: 'client_secret_post',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  redirect_uris: redirectUris,
});

// stdout carries the one `listening on` line; the provider's notices go to
// stderr (the test stops reading stdout, and a write to it would fail).
console.log = console.error;
console.info = console.error;
console.warn = console.error;

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const loginPage = (uid, error) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Sign in</title></head>
<body>
<h1>Sign in</h1>
${error ? `<p id="error">${escape(error)}</p>` : ''}
<form id="login" method="post" action="/interaction/${escape(uid)}/login">
<label>Username <input id="username" name="username" autofocus></label>
<label>Password <input id="password" name="password" type="password"></label>
<button id="submit" type="submit">Sign in</button>
</form>
</body></html>
`;

const server = http.createServer();
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [client('runai-cli', 'runai-cli-secret'), client('runai', 'runai-secret')],
  findAccount: async (_ctx, id) => (id in USERS
    ? { accountId: id, claims: async () => ({ sub: id, preferred_username: id }) }
    : undefined),
  claims: { openid: ['sub'], profile: ['preferred_username'] },
  scopes: ['openid', 'offline_access', 'profile'],
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['tokenctl-test-only-cookie-key'] },
  // Refresh tokens without prompt=consent, as Keycloak hands them out.
  issueRefreshToken: async (_ctx, c, code) => c.grantTypeAllowed('refresh_token')
    && code.scopes.has('offline_access'),
});
provider.on('server_error', (_ctx, err) => console.error('provider error:', err));

const readForm = async (req) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
};

const interaction = async (req, res) => {
  const [, , uid, action] = req.url.split('?')[0].split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (req.method === 'GET' && !action) {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(loginPage(uid));
    return;
  }
  if (req.method === 'POST' && action === 'login') {
    const form = await readForm(req);
    const user = form.get('username') ?? '';
    if (!(user in USERS) || USERS[user] !== form.get('password')) {
      res.statusCode = 200;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(loginPage(uid, 'Invalid username or password.'));
      return;
    }
    const { params } = details;
    const grant = new provider.Grant({ accountId: user, clientId: params.client_id });
    grant.addOIDCScope(params.scope);
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  res.statusCode = 404;
  res.end();
};

const callback = provider.callback();
server.on('request', (req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((err) => {
      console.error('interaction failed:', err);
      res.statusCode = 500;
      res.end(String(err.message));
    });
  } else {
    callback(req, res);
  }
});

process.stdout.write(`listening on ${issuer}\n`);
