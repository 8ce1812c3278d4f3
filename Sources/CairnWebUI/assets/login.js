// Shows "wrong token" after a failed sign-in (/login?failed=1).
const failed = new URLSearchParams(window.location.search).has('failed');
document.getElementById('login-error').hidden = !failed;
if (failed) document.getElementById('token').setAttribute('aria-invalid', 'true');
