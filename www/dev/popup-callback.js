// The redirect page of a popup sign-in (tests/e2e/popup.test.mjs): it loads the hand-back alone,
// nothing else of the package and no wasm, as an app's popup redirect page can.
import { handlePopupRedirect } from '../../js/popup-redirect.js';

if (!handlePopupRedirect()) document.body.textContent = 'No popup sign-in response here.';
