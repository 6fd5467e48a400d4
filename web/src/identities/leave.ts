// Leaving the app for a provider's page (a full navigation, so the flow cookie and the
// provider's own page work); one function so that tests can replace it.
export function leaveFor(url: string): void {
  window.location.assign(url);
}
