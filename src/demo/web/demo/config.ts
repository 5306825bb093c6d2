// The demo page's settings, injected by the gateway (src/demo/server.ts) as <script id="demo-config">.
export interface DemoConfig {
  mode: 'sandbox' | 'stripe';
  stripeJsUrl: string;
  publishableKey: string;
}

export function readDemoConfig(): DemoConfig {
  const el = document.getElementById('demo-config');
  const parsed = el?.textContent ? (JSON.parse(el.textContent) as Partial<DemoConfig>) : {};
  return {
    mode: parsed.mode ?? 'sandbox',
    stripeJsUrl: parsed.stripeJsUrl ?? '',
    publishableKey: parsed.publishableKey ?? '',
  };
}
