// The console's only script. Pages are rendered by the coordinator; this does what only a browser
// can: follow an execution's event stream and recolour its graph, load a node's panel, and send
// operator actions to the API (under /ui/api, where the key travels in an HttpOnly cookie),
// showing the API's answer, refusals included.
(() => {
    'use strict';

    const terminal = new Set(['succeeded', 'failed', 'cancelled', 'timedOut', 'rejected']);
    // The live feed sends fan-out items one letter each (see ConsoleEndpoints.Live.cs).
    const letters = { p: 'pending', q: 'ready', r: 'running', w: 'waiting', t: 'retryScheduled', s: 'succeeded', f: 'failed', k: 'skipped', c: 'cancelled' };
    const symbols = { succeeded: '✓', running: '▶', ready: '…', waiting: '⏸', retryScheduled: '↻', failed: '✗', cancelled: '⊘', skipped: '–', pending: '·' };

    async function post(url, body, contentType = 'application/json') {
        return fetch(url, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'Content-Type': contentType },
            body: contentType === 'application/json' && typeof body !== 'string' ? JSON.stringify(body ?? {}) : body,
        });
    }

    // "409 Conflict: Execution … is succeeded; pause applies to running executions."
    async function describe(response) {
        let text = `${response.status} ${response.statusText}`.trim();
        try {
            const problem = await response.json();
            if (problem.detail) text += `: ${problem.detail}`;
            else if (problem.title) text += `: ${problem.title}`;
            if (problem.errors) text += ' ' + Object.values(problem.errors).flat().join(' ');
        } catch {
            // Not Problem Details: the status line says enough.
        }
        return text;
    }

    function show(output, ok, text) {
        output.textContent = text;
        output.className = ok ? 'accepted' : 'refusal';
    }

    function executionPage(root) {
        const id = root.dataset.executionId;
        const badge = document.getElementById('execution-status');
        const result = document.getElementById('action-result');
        const panel = document.getElementById('panel');
        const nodes = new Map();
        document.querySelectorAll('#graph g.node').forEach(g => nodes.set(g.dataset.node, g));
        const items = new Map();
        const dirty = new Set();
        let drawing = false;
        let openNode = null;

        function setStatus(status) {
            // What a queued execution waited for is stale once it runs (or ends).
            if (root.dataset.status === 'queued' && status !== 'queued')
                document.querySelectorAll('.waiting-for').forEach(e => e.hidden = true);
            root.dataset.status = status;
            badge.dataset.status = status;
            badge.textContent = status;
        }

        function setNode(nodeId, state, attempt) {
            const g = nodes.get(nodeId);
            if (!g) return;
            g.dataset.state = state;
            if (!items.has(nodeId)) g.querySelector('text.counts').textContent = attempt > 1 ? `attempt ${attempt}` : '';
        }

        // Items are counted, never drawn one by one, and redrawn at most once a frame: 10,000 items stay cheap.
        function setItem(nodeId, index, state) {
            let entry = items.get(nodeId);
            if (!entry) items.set(nodeId, entry = { states: [], counts: new Map() });
            const previous = entry.states[index];
            if (previous) entry.counts.set(previous, entry.counts.get(previous) - 1);
            entry.states[index] = state;
            entry.counts.set(state, (entry.counts.get(state) || 0) + 1);
            dirty.add(nodeId);
            if (!drawing) {
                drawing = true;
                requestAnimationFrame(drawCounts);
            }
        }

        function drawCounts() {
            drawing = false;
            for (const nodeId of dirty) {
                const g = nodes.get(nodeId);
                if (!g) continue;
                const counts = [...items.get(nodeId).counts].filter(([, n]) => n > 0);
                g.querySelector('text.counts').textContent = counts.map(([state, n]) => `${symbols[state] ?? state}${n}`).join(' ');
                g.dataset.itemCounts = counts.map(([state, n]) => `${state}=${n}`).join(' ');
            }
            dirty.clear();
        }

        async function loadPanel(nodeId) {
            openNode = nodeId;
            nodes.forEach((g, key) => g.classList.toggle('selected', key === nodeId));
            const response = await fetch(`/ui/executions/${id}/nodes/${encodeURIComponent(nodeId)}`, { credentials: 'same-origin' });
            if (openNode === nodeId) panel.innerHTML = await response.text();
        }

        async function refreshTimeline() {
            const response = await fetch(`/ui/executions/${id}/timeline`, { credentials: 'same-origin' });
            if (response.ok) document.getElementById('timeline').innerHTML = await response.text();
        }

        nodes.forEach((g, nodeId) => {
            g.addEventListener('click', () => loadPanel(nodeId));
            g.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') loadPanel(nodeId); });
        });

        root.querySelectorAll('[data-action]').forEach(button => button.addEventListener('click', async () => {
            const action = button.dataset.action;
            const body = { requestedBy: 'console' };
            if (action === 'cancel') body.reason = document.getElementById('cancel-reason').value || null;
            const response = await post(`/ui/api/executions/${id}/${action}`, body);
            show(result, response.ok, response.ok ? `${action}: accepted` : `${action} refused: ${await describe(response)}`);
        }));

        panel.addEventListener('click', async e => {
            const button = e.target.closest('[data-decision]');
            if (!button) return;
            const approved = button.dataset.decision === 'true';
            const comment = document.getElementById('decision-comment')?.value || null;
            const response = await post(`/ui/api/executions/${id}/nodes/${encodeURIComponent(button.dataset.node)}/decision`,
                { approved, comment, decidedBy: 'console' });
            show(result, response.ok, response.ok
                ? `${approved ? 'approval' : 'rejection'}: accepted`
                : `decision refused: ${await describe(response)}`);
        });

        // Stays open after the execution ends, so a retry from this page shows live too; the
        // browser reconnects by itself after a drop, and the snapshot that opens every connection resyncs.
        const feed = new EventSource(`/ui/executions/${id}/live`);
        feed.addEventListener('snapshot', e => {
            const snapshot = JSON.parse(e.data);
            setStatus(snapshot.status);
            for (const node of snapshot.nodes) setNode(node.nodeId, node.status, node.attempt);
            root.dataset.live = 'true';
        });
        feed.addEventListener('items', e => {
            for (const [nodeId, code] of Object.entries(JSON.parse(e.data)))
                for (let i = 0; i < code.length; i++) setItem(nodeId, i, letters[code[i]]);
        });
        feed.addEventListener('progress', e => {
            const progress = JSON.parse(e.data);
            // Progress after the end means a retry took it up again; progress of a queued one, that it was admitted.
            if (terminal.has(root.dataset.status) || root.dataset.status === 'queued') setStatus('running');
            let touchesOpenNode = false;
            for (const t of progress.transitions) {
                if (t.itemIndex != null) setItem(t.nodeId, t.itemIndex, t.status);
                else setNode(t.nodeId, t.status, t.attempt);
                touchesOpenNode ||= t.nodeId === openNode;
            }
            if (touchesOpenNode) loadPanel(openNode);
        });
        feed.addEventListener('paused', () => setStatus('paused'));
        feed.addEventListener('resumed', () => setStatus('running'));
        feed.addEventListener('finished', e => {
            const finished = JSON.parse(e.data);
            setStatus(finished.status);
            // The server writes times as 2026-01-02 03:04:05Z; the event has full ISO precision.
            document.getElementById('finished-at').textContent = (finished.finishedAt ?? '').replace('T', ' ').replace(/\.\d+Z$/, 'Z');
            refreshTimeline();
            if (openNode) loadPanel(openNode);
        });
        window.addEventListener('pagehide', () => feed.close());
    }

    function editorPage(text) {
        const preview = document.getElementById('preview');
        const result = document.getElementById('action-result');

        async function showPreview() {
            const response = await post('/ui/definitions/preview', text.value, 'text/plain');
            preview.innerHTML = await response.text();
        }

        document.querySelector('[data-editor="validate"]').addEventListener('click', async () => {
            await showPreview();
            const valid = preview.querySelector('.preview')?.dataset.valid === 'true';
            show(result, valid, valid ? 'valid' : 'invalid: see the problems on the graph');
        });
        document.querySelector('[data-editor="upload"]').addEventListener('click', async () => {
            const response = await post('/ui/api/definitions', text.value, 'application/json');
            if (response.status === 201) {
                const stored = await response.json();
                show(result, true, `stored ${stored.id} version ${stored.version}`);
                const link = document.createElement('a');
                link.href = `/ui/definitions/${encodeURIComponent(stored.id)}?version=${stored.version}`;
                link.textContent = ' open it';
                result.append(link);
            } else {
                show(result, false, `upload refused: ${await describe(response)}`);
            }
            await showPreview();
        });
    }

    const execution = document.getElementById('execution');
    if (execution) executionPage(execution);
    const editor = document.getElementById('definition-text');
    if (editor) editorPage(editor);
})();
