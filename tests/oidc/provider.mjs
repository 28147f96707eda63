// A real OpenID Connect provider on localhost for the app's login tests (the certified
// `oidc-provider` package, with its development login and consent pages).
//
//   node tests/oidc/provider.mjs --port 9000 --redirect-uri http://localhost:8501/oauth2callback \
//        [--client-id trygghetskartan] [--client-secret secret]
//
// Issuer: http://localhost:PORT. Any password is accepted; the login name picks an account below,
// and its claims (name, email, groups) go into the ID token, which is what Streamlit's st.user reads.
// Prints "ready" on stdout once it listens; stops on SIGTERM/SIGINT.
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9000' },
    'redirect-uri': { type: 'string', multiple: true, default: [] },
    'client-id': { type: 'string', default: 'trygghetskartan' },
    'client-secret': { type: 'string', default: 'test-client-secret-0123456789abcdef' },
  },
});

const ACCOUNTS = {
  anna: { name: 'Anna Andersson', email: 'anna@jarfalla.example', groups: ['tk-personal', 'alla-anstallda'] },
  cecilia: { name: 'Cecilia Carlsson', email: 'cecilia@jarfalla.example', groups: ['tk-personal', 'tk-skyddat'] },
  bertil: { name: 'Bertil Berg', email: 'bertil@jarfalla.example', groups: ['alla-anstallda'] },
  david: { name: 'David Dahl', email: 'david@jarfalla.example' },
};

const port = Number(values.port);
const issuer = `http://localhost:${port}`;
const redirectUris = values['redirect-uri'];

const provider = new Provider(issuer, {
  clients: [{
    client_id: values['client-id'],
    client_secret: values['client-secret'],
    redirect_uris: redirectUris,
    post_logout_redirect_uris: redirectUris, // Streamlit's st.logout returns to /oauth2callback
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  // The claims of the requested scopes go into the ID token (Streamlit reads only the ID token).
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub'],
    profile: ['name', 'groups'],
    email: ['email', 'email_verified'],
  },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const account = ACCOUNTS[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email_verified: true, ...account };
      },
    };
  },
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));

const server = provider.listen(port, '127.0.0.1', () => console.log('ready'));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
