"""The notebooks as a learner sees them: JupyterLab in a real (headless) browser.

nbval runs every notebook cell by cell in one kernel. For a notebook with
interactive demos, ``coursetools.pytest_plugin`` then hands that kernel and the
outputs it produced to ``LiveLab.check`` (before the control sweep), so the
notebook runs once for nbval, the browser and the sweep. ``LiveLab`` is one
JupyterLab server (throwaway config, settings, workspace and token; copies of
the notebooks, so nothing in the repository is touched) that attaches to
kernels started elsewhere (Jupyter Server's external kernels), and one page of
headless Chromium driven by Playwright. For each notebook it checks:

* opened with the run's outputs and attached to the run's kernel, every widget
  restores from the kernel, as it does when a learner reloads the page, with
  no "Error displaying widget", "Loading widget...", "Failed to create view",
  and each demo (a ``live_figure``) shows its controls and its picture (the
  copy is signed with the server's key, so JupyterLab trusts its outputs as it
  trusts outputs it ran itself);
* the mouse drags one slider of every demo (the keyboard takes over where a
  drag does not move it) and the picture beside it changes, compared pixel by
  pixel before and after; a demo without a slider gets its dropdown, toggle
  buttons, checkbox or text field changed instead;
* the kernel reported no exception or warning from a widget callback (such an
  error shows nowhere in the notebook itself);
* opened as saved, its widget outputs show no widget error (the notebook
  carries no widget state: each demo shows its saved picture); this view holds
  only the cells with widget outputs, which is all it checks.

A canary notebook (one working demo, one whose callback raises, one widget
whose model is missing; as saved, one good and one broken demo picture) proves
the check reports exactly the broken ones (``tests/test_pytest_plugin.py``).

It saves a screenshot of each notebook (and one per demo) under
``artifacts/screenshots/``. It is skipped, with the reason, only where no
browser is available: the ``playwright`` package or a Chromium (Debian's
``chromium``; or set ``CHROMIUM=/path/to/chrome``) is missing, or
``COURSE_SKIP_BROWSER=1`` is set.
"""

from __future__ import annotations

import copy
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import nbformat.sign

from coursetools.notebooks import ROOT, SETUP_MARK

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROKEN_WIDGET_TEXTS = (
    "Error displaying widget",
    "Error creating widget",
    "Loading widget",
    "Failed to create view",
    "Could not create a view",
)
UPDATE_TIMEOUT_S = 20  # one slider move until the new picture arrives
# JupyterLab settings for the throwaway user-settings folder: JupyterLab 4's default
# windowing (every cell stays in the page, and the browser skips painting those out
# of view: three times less rendering work per notebook than "none"), no news/update
# pop-ups over the screenshots, no autosave.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "contentVisibility"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}


# --------------------------------------------------------------------------- which notebooks


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def is_demo_cell(cell) -> bool:
    """A code cell shows a live demo if its saved outputs hold a widget view (the demo
    may be wired in ``helpers.figures``) or its source calls ``live_figure``."""
    if cell.cell_type != "code":
        return False
    if any(WIDGET_VIEW in out.get("data", {}) for out in cell.get("outputs", [])):
        return True
    return "live_figure(" in cell.source and "def live_figure" not in cell.source


def uses_widgets(nb) -> bool:
    """``nb`` has interactive demos if a code cell shows one or uses ipywidgets."""
    if any(is_demo_cell(c) for c in nb.cells):
        return True
    code = "\n".join(
        c.source for c in nb.cells if c.cell_type == "code" and not c.source.startswith(SETUP_MARK)
    )
    return bool(re.search(r"^\s*(import|from) ipywidgets\b", code, re.M))


def demo_cell_count(nb) -> int:
    """How many code cells of ``nb`` show a live demo (each must render at least one widget)."""
    return sum(1 for c in nb.cells if is_demo_cell(c))


def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


def unavailable() -> str | None:
    """Why the browser check cannot run here, or None when it can."""
    if os.environ.get("COURSE_SKIP_BROWSER"):
        return "browser check skipped: COURSE_SKIP_BROWSER is set"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "browser check skipped: the 'playwright' package is not installed "
            "(pip install -r requirements-dev.txt)"
        )
    if find_chromium() is None:
        return (
            "browser check skipped: no Chromium found (apt-get install chromium, "
            "or set CHROMIUM=/path/to/chrome)"
        )
    return None


# --------------------------------------------------------------------------- JupyterLab server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server in its own process group, on a copy of the course, that
    attaches to the kernels whose connection files appear in ``self.external``."""

    def __init__(self, base: Path):
        self.base = base
        self.data_dir = base / "data"  # JUPYTER_DATA_DIR: the key that signs trusted notebooks
        self.external = base / "external_kernels"
        self.external.mkdir(parents=True)
        self.course = base / "course"
        (self.course / "notebooks").mkdir(parents=True)
        for entry in ROOT.iterdir():  # assets, helpers...: linked, so notebooks find ../assets
            if entry.name not in {"notebooks", ".git", ".venv", "artifacts"}:
                (self.course / entry.name).symlink_to(entry)
        settings = base / "settings"
        for plugin, values in LAB_SETTINGS.items():
            package, name = plugin.rsplit("/", 1)
            path = settings / package / f"{name}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        for var, sub in [
            ("JUPYTER_CONFIG_DIR", "config"),
            ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("IPYTHONDIR", "ipython"),
        ]:
            env[var] = str(base / sub)
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
        self.log_path = base / "jupyter.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        cmd = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.course}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={base / 'workspaces'}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            "--ServerApp.terminals_enabled=False",
            "--ServerApp.allow_external_kernels=True",
            f"--ServerApp.external_connection_dir={self.external}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
            cmd.append("--allow-root")
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.course,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready(timeout=90)

    def api(self, method: str, path: str, body: dict | None = None):
        headers = {"Authorization": f"token {self.token}", "Content-Type": "application/json"}
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.url}{path}", data=data, method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {self.proc.returncode}:\n{self.log()}"
                )
            try:
                self.api("GET", "/api/status")
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{self.log()}")

    def log(self, since: int = 0) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_bytes()[since:].decode("utf-8", "replace")

    def shutdown_kernels(self) -> None:
        try:
            for session in self.api("GET", "/api/sessions") or []:
                self.api("DELETE", f"/api/sessions/{session['id']}")
        except OSError:
            pass

    def stop(self) -> None:
        """Stop the server and everything it started (its kernels share its process group;
        the external kernels belong to whoever started them and are left alone)."""
        for path in self.external.glob("*.json"):
            path.unlink()
        if self.proc.poll() is None:
            self.shutdown_kernels()
            for sig, wait in [(signal.SIGTERM, 15), (signal.SIGKILL, 5)]:
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        try:  # kernels left behind in the group (the server is gone by now)
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self._log.close()


# --------------------------------------------------------------------------- in the page

JS_APP_READY = """() => {
  const app = window.jupyterapp;
  return !!app && app.commands.hasCommand('docmanager:open');
}"""

JS_OPEN = """async (path) => {
  const app = window.jupyterapp;
  const w = await app.commands.execute('docmanager:open', {path});
  app.shell.activateById(w.id);
  return w.id;
}"""

JS_NOTEBOOK_READY = """(path) => {
  const app = window.jupyterapp;
  const w = app && app.shell.currentWidget;
  if (!w || !w.content || !w.sessionContext || !w.context || !w.context.isReady) return false;
  if (w.context.path !== path) return false;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && k.connectionStatus === 'connected';
}"""

JS_DOCUMENT_READY = """(path) => {
  const w = window.jupyterapp.shell.currentWidget;
  return !!w && !!w.context && w.context.path === path && w.context.isReady
    && w.content.widgets.length > 0;
}"""

# Close the notebook without a "save changes?" dialog; the kernel stays (it is not ours).
JS_CLOSE = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  if (w && w.context) { w.context.model.dirty = false; w.dispose(); }
}"""

# Marks every widget output of the notebook (rendered, loading, or replaced by
# JupyterLab's error text) with data-course-widget; returns how many there are
# and how many still say "Loading widget".
JS_MARK_WIDGETS = """() => {
  const nodes = Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output'))
    .filter(n => n.classList.contains('jupyter-widgets') || n.querySelector('.jupyter-widgets')
                 || /Loading widget|Error displaying widget|Error creating widget/.test(n.textContent));
  nodes.forEach((n, i) => n.setAttribute('data-course-widget', String(i)));
  return {count: nodes.length, loading: nodes.filter(n => n.textContent.includes('Loading widget')).length};
}"""
WIDGET_OUTPUTS = "[data-course-widget]"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


# Errors and warnings the kernel sends while the controls move. A widget
# callback's exception appears nowhere in the notebook (JupyterLab puts it in
# its log console), so the test listens to the kernel's messages itself.
JS_LISTEN_KERNEL = """() => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  window.__courseKernelProblems = [];
  kernel.iopubMessage.connect((_, msg) => {
    const c = msg.content;
    if (msg.header.msg_type === 'error') {
      window.__courseKernelProblems.push(c.ename + ': ' + c.evalue);
    } else if (msg.header.msg_type === 'stream' && c.name === 'stderr' && /\\w+(Warning|Error)\\b/.test(c.text)) {
      window.__courseKernelProblems.push(c.text.trim().slice(0, 300));
    }
  });
}"""

JS_KERNEL_MESSAGES = "() => window.__courseKernelProblems || []"

# A widget output's first text (a demo's title), read from the page's text rather
# than from what is painted (an off-screen cell is not painted).
JS_FIRST_TEXT = """(n) => {
  const walker = document.createTreeWalker(n, NodeFilter.SHOW_TEXT,
    {acceptNode: t => t.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP});
  const t = walker.nextNode();
  return t ? t.textContent.trim() : '';
}"""

# The notebook opened as saved, without a kernel: widget errors shown, and how
# many outputs show a loaded picture.
JS_SAVED_OUTPUTS = """() => {
  const outs = Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output'));
  return {
    errors: outs.map(n => n.textContent)
      .filter(t => /Error displaying widget|Error creating widget/.test(t)).map(t => t.slice(0, 100)),
    pictures: outs.filter(n => Array.from(n.querySelectorAll('img'))
      .some(i => i.complete && i.naturalWidth > 0)).length,
  };
}"""


JS_KERNEL_IDLE = """() => {
  const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  return k.status === 'idle';
}"""

# A digest of the pixels an <img> shows (decoded, as drawn on a canvas) and its size:
# comparing two says whether the picture changed, pixel by pixel, without the cost
# of a screenshot.
JS_PIXELS = """async (img) => {
  const c = document.createElement('canvas');
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const pixels = ctx.getImageData(0, 0, c.width, c.height).data;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', pixels));
  return `${c.width}x${c.height}:` + Array.from(digest, b => b.toString(16).padStart(2, '0')).join('');
}"""

CONTROLS = (
    ".widget-slider, .widget-dropdown, .widget-toggle-buttons, .widget-checkbox, .widget-text"
)


def demo_state(view) -> dict:
    """What one rendered widget output shows: its text, controls and images."""
    return view.evaluate(
        """(node, controls) => ({
        text: node.textContent,  // innerText is empty while the browser skips an off-screen cell
        sliders: node.querySelectorAll('.widget-slider').length,
        controls: node.querySelectorAll(controls).length,
        images: Array.from(node.querySelectorAll('img')).map(i => ({
          src: i.src, w: i.naturalWidth, complete: i.complete})),
      })""",
        CONTROLS,
    )


def slider_readout(slider) -> str:
    return slider.evaluate(
        "(n) => { const r = n.querySelector('.widget-readout'); return r ? r.textContent : ''; }"
    )


def move_slider(page, slider) -> str:
    """Drag the slider's handle with the mouse; fall back to the keyboard. Says how it went."""
    handle = slider.locator(".noUi-handle, .ui-slider-handle").first
    track = slider.locator(".noUi-base, .ui-slider").first
    handle.scroll_into_view_if_needed()
    before = slider_readout(slider)
    hbox, tbox = handle.bounding_box(), track.bounding_box()
    if hbox and tbox:
        x, y = hbox["x"] + hbox["width"] / 2, hbox["y"] + hbox["height"] / 2
        dx = 0.35 * tbox["width"]
        if tbox["x"] + tbox["width"] - x < 0.4 * tbox["width"]:  # near the right end: go left
            dx = -dx
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + dx, y)  # one move: one new value, one redraw in the kernel
        page.mouse.up()
        for _ in range(6):  # the readout follows the handle within a frame or two
            if slider_readout(slider) != before:
                return f"dragged with the mouse {before} -> {slider_readout(slider)}"
            page.wait_for_timeout(50)
    handle.focus()
    for key in ("End", "ArrowRight", "Home", "ArrowLeft"):
        page.keyboard.press(key)
        page.wait_for_timeout(150)
        if slider_readout(slider) != before:
            return f"keyboard {key}: {before} -> {slider_readout(slider)}"
    return f"did not move (readout stayed {before!r})"


def move_other_control(view) -> str:
    """For a demo without a slider: another dropdown option, toggle button or checkbox."""
    select = view.locator(".widget-dropdown select").first
    if select.count():
        values = select.evaluate("(s) => Array.from(s.options).map(o => o.value)")
        current = select.input_value()
        other = next((v for v in values if v != current), None)
        if other is not None:
            select.select_option(other)
            return f"dropdown {current!r} -> {other!r}"
    buttons = view.locator(".widget-toggle-buttons button:not(.mod-active)")
    if buttons.count():
        buttons.first.click()
        return "clicked a toggle button"
    boxes = view.locator(".widget-checkbox input")
    if boxes.count():
        boxes.first.click()
        return "clicked a checkbox"
    texts = view.locator(".widget-text input")
    if texts.count():
        field = texts.first
        old, new = field.input_value(), "Rossi" if field.input_value() != "Rossi" else "Novak"
        field.click()
        field.press("Control+A")
        field.press_sequentially(new, delay=40)
        field.press("Enter")
        return f"typed {new!r} over {old!r}"
    return "found no control to move"


def wait_new_picture(page, view, old_src: str) -> str | None:
    """Wait until the demo's picture has a new source that has loaded; None if none came.

    Gives up after UPDATE_TIMEOUT_S, or earlier once the kernel has been idle
    a while or reported an error (a broken callback sends no picture)."""
    start = time.monotonic()
    while time.monotonic() - start < UPDATE_TIMEOUT_S:
        imgs = demo_state(view)["images"]
        if imgs and imgs[0]["src"] != old_src and imgs[0]["complete"] and imgs[0]["w"] > 0:
            return imgs[0]["src"]
        waited = time.monotonic() - start
        if waited > 2 and page.evaluate(JS_KERNEL_MESSAGES):
            return None
        if waited > 5 and page.evaluate(JS_KERNEL_IDLE):
            return None
        page.wait_for_timeout(100)
    return None


def settle(page, view, timeout_s: float = 10) -> None:
    """Wait until the kernel is idle and the demo's picture has stopped changing."""
    last, deadline = None, time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        imgs = demo_state(view)["images"]
        src = imgs[0]["src"] if imgs else None
        if src == last and page.evaluate(JS_KERNEL_IDLE):
            return
        last = src


def exercise_demo(page, view, label: str, shot: Path) -> tuple[str | None, str]:
    """Check one rendered demo and move its controls. Returns (problem or None, note)."""
    state = demo_state(view)
    bad = [t for t in BROKEN_WIDGET_TEXTS if t in state["text"]]
    if bad or view.locator(".jupyter-widgets-error-widget").count():
        return f"{label}: did not render: {state['text'].strip()[:200]!r}", ""
    if not state["controls"]:  # not a demo: a progress bar, a label...
        return None, f"{label}: rendered (a widget without controls)"
    if not state["images"]:
        return None, f"{label}: text-only demo, rendered"
    if not all(i["complete"] and i["w"] > 0 for i in state["images"]):
        return f"{label}: its picture did not load", ""
    img = view.locator("img").first
    tried = []
    sliders = view.locator(".widget-slider")
    for j in range(min(sliders.count(), 3) or 1):  # the first slider that changes the picture
        src, before = demo_state(view)["images"][0]["src"], img.evaluate(JS_PIXELS)
        how = move_slider(page, sliders.nth(j)) if sliders.count() else move_other_control(view)
        new_src = wait_new_picture(page, view, src)
        if new_src is not None:
            settle(page, view)  # a drag sends several values: wait for the last picture
        if new_src is not None and img.evaluate(JS_PIXELS) != before:
            view.screenshot(path=str(shot))
            return None, f"{label}: {how}; the picture changed"
        tried.append(how)
        if page.evaluate(JS_KERNEL_MESSAGES):
            break
    return f"{label}: moved controls ({'; '.join(tried)}) but the picture did not change", ""


def saved_widget_cells(nb):
    """A copy of ``nb`` (as saved) with only the cells whose outputs hold a widget view.

    What the saved view checks is how JupyterLab shows those outputs without a
    kernel or widget state; the other cells (markdown, math, plain outputs) do
    not change that and would only cost rendering time."""
    kept = copy.deepcopy(nb)
    kept.cells = [
        c
        for c in kept.cells
        if c.cell_type == "code"
        and any(WIDGET_VIEW in o.get("data", {}) for o in c.get("outputs", []))
    ]
    return kept


def executed_notebook(nb, executions: list[tuple[str, str]], messages: list[dict]):
    """A copy of ``nb`` with the outputs of a run, as JupyterLab would have shown them.

    executions: ``(source, msg_id)`` of every execute request of the run, in order
    (code the notebook does not hold, such as the sweep's, is passed over);
    messages: the kernel's IOPub messages of the run. Handles what a front end
    does with them: streams, displays, results and errors in order,
    ``clear_output``, and ``update_display_data`` (a display replaced by its id,
    as ``helpers.progress.ProgressBar`` replaces its bar by a summary).
    """
    v4 = nbformat.v4
    executed = copy.deepcopy(nb)
    outputs: dict[str, list] = {}
    by_display_id: dict[str, list] = {}
    for msg in messages:
        parent = msg.get("parent_header", {}).get("msg_id")
        kind, content = msg["msg_type"], msg["content"]
        out = None
        if kind in ("display_data", "execute_result"):
            extra = (
                {"execution_count": content.get("execution_count")}
                if kind == "execute_result"
                else {}
            )
            out = v4.new_output(
                kind, data=content["data"], metadata=content.get("metadata", {}), **extra
            )
            display_id = content.get("transient", {}).get("display_id")
            if display_id:
                by_display_id.setdefault(display_id, []).append(out)
        elif kind == "update_display_data":
            for shown in by_display_id.get(content.get("transient", {}).get("display_id"), []):
                shown.data, shown.metadata = content["data"], content.get("metadata", {})
        elif kind == "stream":
            out = v4.new_output("stream", name=content["name"], text=content["text"])
        elif kind == "error":
            out = v4.new_output(
                "error",
                ename=content["ename"],
                evalue=content["evalue"],
                traceback=content["traceback"],
            )
        elif kind == "clear_output":
            outputs[parent] = []
        if out is not None:
            outputs.setdefault(parent, []).append(out)
    code = [c for c in executed.cells if c.cell_type == "code"]
    for cell in code:
        cell.outputs, cell.execution_count = [], None
    at, count = 0, 0  # the first notebook cell not yet matched to an execution
    for source, msg_id in executions:
        match = next((k for k in range(at, len(code)) if code[k].source == source), None)
        if match is None:
            continue  # not one of the notebook's cells (the sweep's, say)
        count += 1
        code[match].outputs, code[match].execution_count = outputs.get(msg_id, []), count
        at = match + 1  # cells passed over did not run (nbval skipped them)
    return executed


class LiveLab:
    """Headless Chromium with one JupyterLab page, on a ``Lab`` that attaches to
    kernels started elsewhere. ``check`` looks at one notebook as a learner sees it."""

    def __init__(self, base: Path):
        from playwright.sync_api import sync_playwright

        self.lab = Lab(base)
        self._count = 0
        self.console: list[str] = []
        self._pw = sync_playwright().start()
        try:
            self.browser = self._pw.chromium.launch(
                executable_path=find_chromium(), headless=True, args=CHROMIUM_FLAGS
            )
            self.context = self.browser.new_context(
                viewport={"width": 1280, "height": 900}, device_scale_factor=1
            )
            self.page = self.context.new_page()
            self.page.set_default_timeout(30_000)
            self.page.on(
                "console", lambda m: self.console.append(m.text) if m.type == "error" else None
            )
            self.page.on("pageerror", lambda e: self.console.append(f"page error: {e}"))
            self.page.goto(f"{self.lab.url}/lab/workspaces/course?token={self.lab.token}")
            self.page.wait_for_function(JS_APP_READY, timeout=90_000, polling=250)
            self.page.evaluate("async () => { await window.jupyterapp.restored; }")
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for close in ("context", "browser"):
            try:
                getattr(self, close).close()
            except Exception:  # noqa: BLE001 - already gone
                pass
        self._pw.stop()
        self.lab.stop()

    def attach(self, connection_info: dict) -> tuple[str, Path]:
        """Let the server use a running kernel; returns its id there and its connection file."""
        info = {k: v.decode() if isinstance(v, bytes) else v for k, v in connection_info.items()}
        info.setdefault("kernel_name", "python3")
        before = {k["id"] for k in self.lab.api("GET", "/api/kernels")}
        self._count += 1
        path = self.lab.external / f"kernel-{self._count}.json"
        path.write_text(json.dumps(info))
        new = [k["id"] for k in self.lab.api("GET", "/api/kernels") if k["id"] not in before]
        if len(new) != 1:
            raise RuntimeError(f"JupyterLab did not pick up the kernel ({new}):\n{self.lab.log()}")
        return new[0], path

    def detach(self, connection_file: Path) -> None:
        connection_file.unlink(missing_ok=True)
        self.lab.api("GET", "/api/kernels")  # the server forgets it (and leaves it running)

    def open(self, rel_path: str, kernel: bool = True) -> None:
        """Open a notebook; wait until its kernel is connected and idle (or, with
        ``kernel=False``, only until its cells are shown)."""
        self.page.evaluate(JS_OPEN, rel_path)
        ready = JS_NOTEBOOK_READY if kernel else JS_DOCUMENT_READY
        self.page.wait_for_function(ready, arg=rel_path, timeout=90_000, polling=100)

    def check(
        self, source: Path, executed, connection_info: dict, shots: Path
    ) -> tuple[list[str], list[str]]:
        """Look at ``executed`` (``source`` with the outputs of a run) attached to that
        run's kernel, check and move its demos; then at ``source`` as saved.

        Returns (problems, notes): no problems means the learner sees every demo
        render and respond.
        """
        problems: list[str] = []
        notes: list[str] = []
        page, stem = self.page, source.stem
        rel = f"notebooks/{source.name}"
        copy = self.lab.course / rel
        console_start = len(self.console)
        kernel_id, connection_file = self.attach(connection_info)
        started = time.monotonic()
        try:
            self.lab.api(
                "POST",
                "/api/sessions",
                {"path": rel, "type": "notebook", "name": source.name, "kernel": {"id": kernel_id}},
            )
            # With the run's outputs, on the run's kernel: the widgets come back live.
            nbformat.sign.NotebookNotary(data_dir=str(self.lab.data_dir)).sign(executed)
            nbformat.write(executed, copy)
            self.open(rel)
            expected = max(demo_cell_count(executed), 1)
            deadline = time.monotonic() + 15
            while True:  # views attach asynchronously; "Loading widget..." may show for a moment
                marked = page.evaluate(JS_MARK_WIDGETS)
                if (
                    marked["count"] >= expected and not marked["loading"]
                ) or time.monotonic() > deadline:
                    break
                page.wait_for_timeout(100)
            views = page.locator(WIDGET_OUTPUTS)
            if views.count() < expected:
                problems.append(
                    f"{views.count()} widget outputs rendered, expected at least {expected}"
                )
            notes.append(f"opened with the run's widgets in {time.monotonic() - started:.1f} s")

            page.evaluate(JS_LISTEN_KERNEL)
            responded = 0
            for k in range(views.count()):
                view = views.nth(k)
                view.scroll_into_view_if_needed()
                first_line = view.evaluate(JS_FIRST_TEXT)[:50] or "no text"
                label = f"demo {k + 1} ({first_line})"
                problem, note = exercise_demo(page, view, label, shots / f"{stem}-demo{k + 1}.png")
                if problem:
                    problems.append(problem)
                else:
                    notes.append(note)
                    responded += "picture changed" in note
            demos = sum(1 for k in range(views.count()) if views.nth(k).locator(CONTROLS).count())
            if demos < demo_cell_count(executed):
                problems.append(
                    f"{demos} demos show controls, expected {demo_cell_count(executed)}"
                )
            if demos and not responded and not any("text-only" in n for n in notes):
                problems.append("no demo's picture responded to its controls")
            kernel_problems = page.evaluate(JS_KERNEL_MESSAGES)
            for msg in dict.fromkeys(kernel_problems):
                n = kernel_problems.count(msg)
                problems.append(f"a widget callback failed in the kernel ({n}x): {msg}")

            first_demo = page.locator(WIDGET_OUTPUTS, has=page.locator(CONTROLS)).first
            if first_demo.count():  # the notebook's first demo, as the learner sees it
                first_demo.evaluate("(n) => n.scrollIntoView({block: 'start'})")
                page.wait_for_timeout(200)
            page.screenshot(path=str(shots / f"{stem}.png"))
            page.evaluate(JS_CLOSE)

            # As saved (last: a second connection to this kernel made first would take
            # over its widget messages): no widget state, so each demo shows its saved picture.
            saved = saved_widget_cells(nbformat.read(source, as_version=4))
            if saved.cells:
                nbformat.write(saved, copy)
                self.open(rel, kernel=False)
                pictures = sum(
                    1
                    for c in saved.cells
                    for o in c.outputs
                    if WIDGET_VIEW in o.get("data", {}) and "image/png" in o["data"]
                )
                deadline = time.monotonic() + 5  # pictures out of view may load a moment later
                if not pictures:  # nothing to wait for: give the widget renderers a moment
                    page.wait_for_timeout(300)
                shown = page.evaluate(JS_SAVED_OUTPUTS)
                while shown["pictures"] < pictures and time.monotonic() < deadline:
                    page.wait_for_timeout(100)
                    shown = page.evaluate(JS_SAVED_OUTPUTS)
                if shown["errors"]:
                    problems.append(f"opened as saved, the notebook shows {shown['errors'][0]!r}")
                if shown["pictures"] < pictures:
                    problems.append(
                        f"opened as saved, {shown['pictures']} widget outputs show a picture, "
                        f"expected {pictures} (each demo's saved PNG)"
                    )
        except Exception as exc:  # noqa: BLE001 - a browser failure is a finding, with a picture
            problems.append(f"{type(exc).__name__}: {exc}")
            try:
                page.screenshot(path=str(shots / f"{stem}-failure.png"))
            except Exception:  # noqa: BLE001
                pass
        finally:
            try:
                page.evaluate(JS_CLOSE)
            except Exception:  # noqa: BLE001
                pass
            self.detach(connection_file)
        notes.append(f"browser check took {time.monotonic() - started:.1f} s")
        console = self.console[console_start:]
        if problems and console:
            notes.append("browser console errors:\n    " + "\n    ".join(console[-15:]))
        return problems, notes
