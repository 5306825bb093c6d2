// Browser Back while the hosted linking dialog is open: the page stays on /demo instead of leaving it mid-flow.

/**
 * Adds one history entry for the open dialog, as a modal would. Back pops it: the page stays on /demo, the entry is
 * put back (so a second Back is held too) and `onBack` says how to leave the dialog. The returned function, called
 * when the dialog closed, removes the entry again, so one Back then leaves /demo as before the dialog.
 * Why not entries per step: the dialog's steps share one address in the sandbox and at Stripe alike.
 */
export function holdBackWhileOpen(onBack: () => void): () => void {
  const state = { fcDemoDialog: Date.now() };
  history.pushState(state, '');
  const onPop = () => {
    history.pushState(state, '');
    onBack();
  };
  window.addEventListener('popstate', onPop);
  return () => {
    window.removeEventListener('popstate', onPop);
    if ((history.state as typeof state | null)?.fcDemoDialog === state.fcDemoDialog) history.back();
  };
}
