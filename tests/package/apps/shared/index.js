// The consumer app every matrix app is built from (copied to src/index.js): the README's SPA
// quick start, with where it stands shown in the page for the test to read. The provider's
// address is only known when the matrix runs, so it comes from /config.json.
import { createClient } from 'browser-oauth';

const $ = (id) => document.getElementById(id);
const show = (status) => {
  $('status').dataset.status = status;
  $('status').textContent = status;
};
const fail = (e) => {
  $('error-code').textContent = e?.code ?? 'no code';
  $('error-message').textContent = e?.message ?? String(e);
  show('error');
};

try {
  const { issuer, clientId } = await (await fetch('/config.json')).json();
  const client = await createClient({ issuer, clientId, redirectUri: `${location.origin}/`, allowHttpLoopback: true });
  const result = await client.handleRedirect();
  if (result) {
    $('account').textContent = result.claims.sub;
    $('token').textContent = result.accessToken ? 'access token received' : 'no access token';
    show('signed-in');
  } else {
    $('sign-in').hidden = false;
    $('sign-in').onclick = () => client.signIn({ scopes: ['openid', 'profile'] }).catch(fail);
    show('signed-out');
  }
} catch (e) {
  fail(e);
}
