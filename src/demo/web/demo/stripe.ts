// Loads Stripe.js (or, in sandbox mode, the sandbox's Stripe.js-compatible script) and runs the linking flow.
import type { DemoConfig } from './config';

interface StripeLike {
  collectFinancialConnectionsAccounts(options: {
    clientSecret: string;
  }): Promise<
    | { financialConnectionsSession: { id: string; accounts: { id: string }[] }; error?: undefined }
    | { error: { type: string; message: string; code?: string }; financialConnectionsSession?: undefined }
  >;
}

declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeLike;
  }
}

let loading: Promise<void> | undefined;

function loadScript(src: string): Promise<void> {
  loading ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => {
      loading = undefined;
      reject(new Error(`Could not load ${src}`));
    };
    document.head.appendChild(script);
  });
  return loading;
}

/**
 * Opens the hosted authentication flow for a session's client secret. Resolves with the linked account ids (empty
 * when the user left early). The page is the same for the sandbox and for Stripe: only the script URL and key differ.
 */
export async function collectAccounts(config: DemoConfig, clientSecret: string): Promise<string[]> {
  if (!config.publishableKey) {
    throw new Error('Set STRIPE_PUBLISHABLE_KEY (pk_test_…) to link accounts with Stripe.js.');
  }
  await loadScript(config.stripeJsUrl);
  if (!window.Stripe) throw new Error('Stripe.js did not load.');
  const result = await window
    .Stripe(config.publishableKey)
    .collectFinancialConnectionsAccounts({ clientSecret });
  if (result.error) throw new Error(result.error.message);
  return result.financialConnectionsSession.accounts.map((a) => a.id);
}
