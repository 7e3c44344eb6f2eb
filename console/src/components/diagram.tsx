/**
 * The machine's diagram, generated from its definition (docs/machines/*.md is written by
 * scripts/docs-machines.ts from the machines and tested against them), in its Chinese version (the
 * dictionary's labels; the ids stay the machine's), with the current states highlighted. Mermaid is
 * loaded only here, in its own chunk.
 */
import { Alert, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';
import caseDoc from '../../../docs/machines/case.md?raw';
import reviewDoc from '../../../docs/machines/review.md?raw';

import { CSP_NONCE } from '../csp';

/** The diagram under the document's 流程图（中文） heading (scripts/docs-machines.ts CHINESE_DIAGRAM_HEADING). */
export function diagramSource(doc: string): string {
  return /^## 流程图（中文）\n[\s\S]*?```mermaid\n([\s\S]*?)```/m.exec(doc)?.[1] ?? '';
}

/** Whether the diagram declares a state with this Mermaid id (`id`, `state id {`, `state "label" as id` with or without `{`). */
function declares(source: string, id: string): boolean {
  return new RegExp(`^\\s*(state )?("[^"]*" as )?${id}( \\{)?$`, 'm').test(source);
}

/** The Mermaid id of a state path: `parent_key` where the key is not unique in the diagram, else the key. */
export function mermaidId(source: string, path: string[]): string | null {
  const key = path[path.length - 1];
  const qualified = path.slice(-2).join('_');
  if (path.length > 1 && declares(source, qualified)) return qualified;
  return declares(source, key) ? key : null;
}

export function highlighted(source: string, paths: string[][]): string {
  const ids = paths.map((p) => mermaidId(source, p)).filter((x): x is string => !!x);
  return `${source.trimEnd()}\n  classDef current fill:#c0392b,color:#fff,stroke:#7b241c,stroke-width:3px\n${ids.map((id) => `  class ${id} current`).join('\n')}\n`;
}

let seq = 0;

export default function MachineDiagram({ machine, paths }: { machine: 'case' | 'review'; paths: string[][] }) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(true);
  const key = JSON.stringify(paths);
  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const { default: mermaid } = await import('mermaid');
        // 'loose': the source is the machine's own definition from the build, never user input, so the
        // whole-SVG sanitizing pass (whose detached parse of the SVG's <style> the CSP reports) is not needed;
        // scripts stay blocked by the CSP whatever the level.
        mermaid.initialize({ startOnLoad: false, securityLevel: 'loose', theme: 'default', state: { useMaxWidth: false }, fontFamily: '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif' });
        const src = highlighted(diagramSource(machine === 'case' ? caseDoc : reviewDoc), JSON.parse(key) as string[][]);
        const { svg } = await mermaid.render(`machine-diagram-${++seq}`, src);
        if (!live || !ref.current) return;
        // The SVG carries its own <style>: it gets the page's nonce so the CSP admits it.
        ref.current.innerHTML = svg.replace(/<style>/g, `<style nonce="${CSP_NONCE}">`);
        // The diagram keeps its natural size in a scrolling frame, opened on the current state.
        const frame = ref.current;
        const current = frame.querySelector('.current');
        if (current) {
          const r = current.getBoundingClientRect();
          const f = frame.getBoundingClientRect();
          frame.scrollLeft += r.left - f.left - f.width / 2 + r.width / 2;
          frame.scrollTop += r.top - f.top - f.height / 2 + r.height / 2;
        }
      } catch (err) {
        if (live) setError(err instanceof Error ? err.message : String(err));
      } finally {
        if (live) setBusy(false);
      }
    })();
    return () => {
      live = false;
    };
  }, [machine, key]);
  return (
    <div data-testid="diagram">
      {busy && <Spin />}
      {error && <Alert type="error" title={`流程图生成失败：${error}`} />}
      <div ref={ref} style={{ overflow: 'auto', maxHeight: 640, border: '1px solid #f0f0f0' }} data-testid="diagram-frame" />
    </div>
  );
}
