// A real OpenID Connect provider (oidc-provider, certified) for the sign-in tests: loopback only, a port the OS
// picks, test people in groups. Prints {"issuer": ...} on its first line once it listens.
//
// Environment: REDIRECT_URIS and POST_LOGOUT_REDIRECT_URIS (comma-separated) for the one client, "screening".
// Some test people get an ID token spoiled on its way out of the token endpoint, so the tests can show the app
// refuses it: re-signed with the provider's own key but expired, for another audience, with another nonce or
// issuer; signed by a key the provider never published; or altered after signing.
// POST /test/groups {"account": ..., "groups": [...]} changes a person's groups (their claims no longer map).
import http from 'node:http';
import { generateKeyPair, exportJWK, SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import Provider from 'oidc-provider';

const PEOPLE = {
  lee: { name: 'Lee Lead', groups: ['leads'] },
  pat: { name: 'Pat Practitioner', groups: ['practitioners', 'everyone'] },
  mo: { name: 'Mo Mash', groups: ['mash'] },
  bo: { name: 'Bo Board', groups: ['board'] },
  tia: { name: 'Tia Trainer', groups: ['trainers'] },
  ada: { name: 'Ada Admin', groups: ['admins'] },
  nia: { name: 'Nia Nogroup', groups: ['finance'] },
  sam: { name: 'Sam Mover', groups: ['leads'] },
  tampered: { name: 'Token Tampered', groups: ['leads'] },
  expired: { name: 'Token Expired', groups: ['leads'] },
  'wrong-audience': { name: 'Token Audience', groups: ['leads'] },
  'wrong-audience-azp': { name: 'Token Audience', groups: ['leads'] },
  'wrong-nonce': { name: 'Token Nonce', groups: ['leads'] },
  'wrong-issuer': { name: 'Token Issuer', groups: ['leads'] },
  'unknown-key': { name: 'Token Key', groups: ['leads'] },
};

const list = (name) => (process.env[name] || '').split(',').filter(Boolean);
const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const kid = 'test-key-1';
const jwk = { ...(await exportJWK(privateKey)), kid, use: 'sig', alg: 'RS256' };
const stranger = (await generateKeyPair('RS256', { extractable: true })).privateKey;

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'screening', client_secret: 'test-client-secret',
    redirect_uris: list('REDIRECT_URIS'), post_logout_redirect_uris: list('POST_LOGOUT_REDIRECT_URIS'),
    grant_types: ['authorization_code'], response_types: ['code'],
  }],
  jwks: { keys: [jwk] },
  pkce: { required: () => true },
  scopes: ['openid', 'profile', 'email', 'groups'],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'], groups: ['groups'] },
  conformIdTokenClaims: false, // the claims go in the ID token, as Entra ID puts groups there
  findAccount: async (ctx, id) => PEOPLE[id] && {
    accountId: id,
    claims: async () => ({ sub: id, name: PEOPLE[id].name, preferred_username: `${id}@example.org`,
                           email: `${id}@example.org`, groups: PEOPLE[id].groups }),
  },
  loadExistingGrant: async (ctx) => { // a first-party client: no consent screen
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email groups');
    await grant.save();
    return grant;
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = `<!DOCTYPE html><html lang="en"><head><title>Sign out</title></head><body>${form}
          <button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button></body></html>`;
      },
    },
  },
});

async function spoil(idToken) {
  const claims = decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  const resign = (changes, key = privateKey) => new SignJWT({ ...claims, ...changes })
    .setProtectedHeader({ ...decodeProtectedHeader(idToken), kid }).sign(key);
  switch (claims.sub) {
    case 'tampered': {
      const [header, , signature] = idToken.split('.');
      const body = Buffer.from(JSON.stringify({ ...claims, groups: ['admins'] })).toString('base64url');
      return `${header}.${body}.${signature}`;
    }
    case 'expired': return resign({ iat: now - 7200, exp: now - 3600 });
    case 'wrong-audience': return resign({ aud: 'another-app' });
    case 'wrong-audience-azp': return resign({ aud: ['another-app'], azp: 'screening' });
    case 'wrong-nonce': return resign({ nonce: 'a-nonce-this-browser-never-sent' });
    case 'wrong-issuer': return resign({ iss: 'http://127.0.0.1:9/another-provider' });
    case 'unknown-key': return resign({}, stranger);
    default: return idToken;
  }
}

provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path === '/test/groups') {
    const body = JSON.parse(await new Promise((resolve) => {
      let text = ''; ctx.req.on('data', (chunk) => { text += chunk; }); ctx.req.on('end', () => resolve(text));
    }));
    PEOPLE[body.account].groups = body.groups;
    ctx.status = 204;
    return;
  }
  await next();
  if (ctx.path === '/token' && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: await spoil(ctx.body.id_token) };
  }
});

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
