// Sets the shared cookie a little after load: a tab on a later page of the
// plan that sets it at once gets there first in time, not in plan order.
setTimeout(function () { document.cookie = 'shared=one; Max-Age=86400; Path=/; SameSite=Lax'; }, 800);
