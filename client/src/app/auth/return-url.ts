/** Only in-app paths are followed after signing in, so a crafted link cannot send the user elsewhere. */
export function safeReturnUrl(returnUrl: string | undefined | null): string {
  if (!returnUrl || !returnUrl.startsWith('/') || returnUrl.startsWith('//') || returnUrl.startsWith('/login') || returnUrl.startsWith('/register')) {
    return '/';
  }
  return returnUrl;
}
