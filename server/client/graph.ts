// The asset graph: pan by dragging or with the arrow keys, zoom with the wheel or + / −, 0 fits.
const wrap = document.querySelector<HTMLElement>('#graph');
const svg = wrap?.querySelector<SVGSVGElement>('svg');
if (wrap && svg) {
  const full = svg.viewBox.baseVal;
  let view = { x: full.x, y: full.y, w: full.width, h: full.height };
  const fit = { ...view };
  const apply = () => svg.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`);
  const zoom = (factor: number, cx = view.x + view.w / 2, cy = view.y + view.h / 2) => {
    const w = Math.min(fit.w * 4, Math.max(200, view.w * factor));
    const h = (w / view.w) * view.h;
    view = { x: cx - ((cx - view.x) * w) / view.w, y: cy - ((cy - view.y) * h) / view.h, w, h };
    apply();
  };
  wrap.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const rect = svg.getBoundingClientRect();
      const cx = view.x + ((event.clientX - rect.left) / rect.width) * view.w;
      const cy = view.y + ((event.clientY - rect.top) / rect.height) * view.h;
      zoom(event.deltaY > 0 ? 1.15 : 1 / 1.15, cx, cy);
    },
    { passive: false },
  );
  let drag: { x: number; y: number; vx: number; vy: number } | null = null;
  svg.addEventListener('pointerdown', (event) => {
    if ((event.target as Element).closest('a')) return;
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener('pointermove', (event) => {
    if (!drag) return;
    const rect = svg.getBoundingClientRect();
    view.x = drag.vx - ((event.clientX - drag.x) / rect.width) * view.w;
    view.y = drag.vy - ((event.clientY - drag.y) / rect.height) * view.h;
    apply();
  });
  svg.addEventListener('pointerup', () => (drag = null));
  wrap.addEventListener('keydown', (event) => {
    const step = view.w / 10;
    const moves: Record<string, () => void> = {
      ArrowLeft: () => (view.x -= step),
      ArrowRight: () => (view.x += step),
      ArrowUp: () => (view.y -= step),
      ArrowDown: () => (view.y += step),
      '+': () => zoom(1 / 1.25),
      '=': () => zoom(1 / 1.25),
      '-': () => zoom(1.25),
      '0': () => (view = { ...fit }),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    move();
    apply();
  });
}
