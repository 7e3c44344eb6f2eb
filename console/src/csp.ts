/**
 * The page's Content-Security-Policy admits <style> elements only with the per-response nonce the
 * server put in <meta name="csp-nonce">. antd's CSS-in-JS takes it through ConfigProvider, but a few
 * libraries insert <style> elements of their own (rc-util's scroll lock when a modal opens, mermaid's
 * SVG): every <style> this page inserts gets the nonce on its way. Scripts are not touched: they only ever come from this origin.
 */
export const CSP_NONCE = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';

function stamp<T>(node: T): T {
  if (!CSP_NONCE) return node;
  if (node instanceof HTMLStyleElement || node instanceof SVGStyleElement) {
    if (!node.getAttribute('nonce')) node.setAttribute('nonce', CSP_NONCE);
  } else if (node instanceof Element || node instanceof DocumentFragment) {
    node.querySelectorAll('style').forEach((s) => {
      if (!s.getAttribute('nonce')) s.setAttribute('nonce', CSP_NONCE);
    });
  }
  return node;
}

/**
 * Markup with the nonce on every <style> tag. A serialized style that was in the page says
 * `nonce=""` (browsers hide the nonce once an element is inserted): it gets the nonce back.
 */
function withNonce(html: string): string {
  if (!html.includes('<style')) return html;
  return html.replace(/<style\b([^>]*)>/g, (_tag, attrs: string) => `<style${attrs.replace(/\snonce=(""|'')/, '')}${/\snonce=/.test(attrs.replace(/\snonce=(""|'')/, '')) ? '' : ` nonce="${CSP_NONCE}"`}>`);
}

function install(): void {
  if (!CSP_NONCE) return;
  const node = Node.prototype;
  const appendChild = node.appendChild;
  node.appendChild = function <T extends Node>(this: Node, child: T): T {
    return appendChild.call(this, stamp(child)) as T;
  };
  const insertBefore = node.insertBefore;
  node.insertBefore = function <T extends Node>(this: Node, child: T, ref: Node | null): T {
    return insertBefore.call(this, stamp(child), ref) as T;
  };
  const el = Element.prototype;
  for (const name of ['append', 'prepend', 'before', 'after'] as const) {
    const original = el[name];
    el[name] = function (this: Element, ...nodes: Array<Node | string>) {
      return original.apply(this, nodes.map((n) => (typeof n === 'string' ? n : stamp(n))));
    };
  }
  const inner = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML')!;
  Object.defineProperty(Element.prototype, 'innerHTML', {
    ...inner,
    set(this: Element, html: string) {
      inner.set!.call(this, typeof html === 'string' ? withNonce(html) : html);
    },
  });
  const insertAdjacentHTML = el.insertAdjacentHTML;
  el.insertAdjacentHTML = function (this: Element, where: InsertPosition, html: string) {
    insertAdjacentHTML.call(this, where, withNonce(html));
  };
}

install();
