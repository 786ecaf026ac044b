import {spawn} from 'node:child_process';
import {existsSync, linkSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {loadWorkOrdersFromFolder} from '../../src/workorders/local-loader.js';
import {CLI, removeTempDirs, SAMPLE_WORK_ORDERS, tempDir, workOrderFile, writeWorkOrders} from '../helpers/fixtures.js';
import {addTrack, makePccDatabase, openDb, placeWorkOrder, placements, trackNames, type Shape} from '../helpers/pcc-db.js';
import {runCli} from '../helpers/run-cli.js';
import {serverPool} from '../helpers/test-server.js';

const pool = serverPool();

afterEach(async () => {
  await pool.stopAll();
  removeTempDirs();
});

/** Ids PCC has rows for: every sample WO whose front matter parses. */
const visibleIds = () => loadWorkOrdersFromFolder(SAMPLE_WORK_ORDERS).workOrders.filter((wo) => !wo.recovered).map((wo) => wo.id);

type PlanFile = {items: {id: string; plannedKey: string | null}[]; tracks: {key: string; name: string}[]; pccDb: string};

function plannedPlacements(planFile: string): Map<string, string[]> {
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as PlanFile;
  const nameOf = new Map(plan.tracks.map((track) => [track.key, track.name]));
  return new Map(plan.items.map((item) => [item.id, item.plannedKey === null ? [] : [nameOf.get(item.plannedKey)!]]));
}

describe.each<Shape>(['older', 'newer'])("applying into PCC's database (%s shape)", (shape) => {
  it('plans, applies, verifies, has nothing left to change, and the undo plan restores every WO exactly', async () => {
    const db = makePccDatabase(shape, visibleIds());
    const legacy = addTrack(db, 'Legacy');
    const chat = addTrack(db, 'chat experience');
    placeWorkOrder(db, 'WO-2026-120', [legacy]);
    // On two tracks (newer PCC); the older shape keeps only the first.
    placeWorkOrder(db, 'WO-2026-001', shape === 'newer' ? [chat, legacy] : [chat]);
    const before = placements(db);
    const out = tempDir();
    const planFile = path.join(out, 'plan.json');

    const dry = await runCli(['--pcc-db', db, '--work-orders', SAMPLE_WORK_ORDERS, '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    const report = JSON.parse(dry.stdout);
    expect(report.applyPath).toEqual({kind: 'database', text: `PCC's database ${db} (project project-control-center)`});
    expect(report.invisibleToPcc).toEqual([expect.objectContaining({id: 'WO-2026-118', line: expect.any(Number), reason: expect.stringContaining('front matter is not valid YAML')})]);

    const planned = await runCli(['--pcc-db', db, '--work-orders', SAMPLE_WORK_ORDERS, '--plan-out', planFile]);
    expect(planned.code).toBe(0);
    expect(planned.stderr).toContain(`Applies to PCC's database ${db} (project project-control-center).`);
    expect(JSON.parse(readFileSync(planFile, 'utf8')).pccDb).toBe(db);
    if (shape === 'newer') {
      const plan = JSON.parse(readFileSync(planFile, 'utf8')) as {items: {id: string; reason: string}[]};
      expect(plan.items.find((item) => item.id === 'WO-2026-001')!.reason).toContain('on 2 tracks now (Chat Experience, Legacy): it ends on one');
    }

    const applied = await runCli(['--apply', planFile, '--yes']);
    expect(applied.stderr).toContain("Verified: PCC's database matches the plan.");
    expect(applied.code).toBe(0);
    const after = placements(db);
    for (const [id, names] of plannedPlacements(planFile)) expect(after.get(id), id).toEqual(names.map((name) => (name === 'Chat Experience' ? 'chat experience' : name)).sort());
    expect(after.get('WO-2026-001')).toEqual(['chat experience']);
    expect(trackNames(db)).toHaveLength(12);

    const again = await runCli(['--pcc-db', db, '--work-orders', SAMPLE_WORK_ORDERS, '--dry-run', '--json']);
    expect(JSON.parse(again.stdout).changes).toMatchObject({createTracks: 0, assign: 0, move: 0, clear: 0});

    const undone = await runCli(['--apply', planFile.replace(/\.json$/, '.undo.json'), '--yes']);
    expect(undone.stderr).toContain("Verified: PCC's database matches the plan.");
    expect(placements(db)).toEqual(before);
    // The undo's report speaks of putting back, not of a spec's decisions.
    const undoReport = readFileSync(planFile.replace(/\.json$/, '.undo.report.md'), 'utf8');
    expect(undoReport).toMatch(/^# Track assignment undo applied: /);
    expect(undoReport).toMatch(/- Work orders put back where they were: \d+/);
    expect(undoReport).toContain('Tracks created by the run stay in place');
    expect(undoReport).not.toContain('Decided against the spec');
    expect(undoReport).not.toContain('## Not in the mapping');
  });
});

describe("PCC's database, refusals that change nothing", () => {
  it('a file that is not SQLite, a SQLite file that is not PCC\'s, an unknown project', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'notes.db'), 'hello');
    const notSqlite = await runCli(['--pcc-db', path.join(dir, 'notes.db'), '--work-orders', SAMPLE_WORK_ORDERS, '--dry-run']);
    expect(notSqlite).toMatchObject({code: 1, stderr: `${path.join(dir, 'notes.db')} is not a SQLite database; pass --pcc-db with PCC's control-center.db.\n`});
    const other = openDb(path.join(dir, 'other.db'));
    other.exec('CREATE TABLE notes (id TEXT)');
    other.close();
    const notPcc = await runCli(['--pcc-db', path.join(dir, 'other.db'), '--work-orders', SAMPLE_WORK_ORDERS, '--dry-run']);
    expect(notPcc.code).toBe(1);
    expect(notPcc.stderr).toMatch(/other\.db is a SQLite file but not PCC's database \(it lacks a `projects` table, a `tracks` table, a `work_orders` table\)/);
    const db = makePccDatabase('older', visibleIds());
    const unknown = await runCli(['--pcc-db', db, '--project', 'nope', '--work-orders', SAMPLE_WORK_ORDERS, '--dry-run']);
    expect(unknown).toMatchObject({code: 1, stderr: `Project "nope" is not in ${db} (its projects: project-control-center); pass --project with one of them.\n`});
  });

  it('a WO of the plan without a row is never inserted: the apply is refused, nothing is written', async () => {
    const db = makePccDatabase('older', visibleIds());
    const planFile = path.join(tempDir(), 'plan.json');
    await runCli(['--pcc-db', db, '--work-orders', SAMPLE_WORK_ORDERS, '--plan-out', planFile]);
    const rows = openDb(db);
    rows.prepare("DELETE FROM work_orders WHERE id = 'WO-2026-020'").run();
    rows.close();
    const run = await runCli(['--apply', planFile, '--yes']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("WO-2026-020 has no row in PCC's database now");
    expect(run.stderr).toContain("Not applied: PCC's database changed since the plan was made");
    expect(trackNames(db)).toEqual([]);
    expect([...placements(db).values()].every((names) => names.length === 0)).toBe(true);
    // Written directly, the same plan is refused as a whole, and no row is made for it.
    const {PccDatabase} = await import('../../src/pcc/pcc-database.js');
    const pcc = PccDatabase.open(db, null);
    expect(() => pcc.write({create: [{name: 'Alpha', description: null, goal: null, color: null, icon: null, sortOrder: 1}], assignments: [{id: 'WO-2026-020', trackIds: {name: 'Alpha'}}, {id: 'WO-2026-021', trackIds: []}], deleteIfEmpty: []})).toThrow(
      `1 work order has no row in ${db} (WO-2026-020): PCC has never listed it, usually because the front matter does not parse. Fix those files (see the load warnings) or leave them out of the plan; nothing was changed.`,
    );
    pcc.close();
    expect(trackNames(db)).toEqual([]);
    expect(placements(db).has('WO-2026-020')).toBe(false);
  });

  it('a writer holding the file: the apply waits, then fails cleanly with nothing changed', async () => {
    const db = makePccDatabase('newer', visibleIds());
    const planFile = path.join(tempDir(), 'plan.json');
    await runCli(['--pcc-db', db, '--work-orders', SAMPLE_WORK_ORDERS, '--plan-out', planFile]);
    const holder = openDb(db);
    holder.exec('BEGIN IMMEDIATE');
    const run = await runCli(['--apply', planFile, '--yes']);
    holder.exec('ROLLBACK');
    holder.close();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${db} stayed locked for 2 s (PCC may be busy); the write was rolled back and nothing was changed, try again.`);
    expect(trackNames(db)).toEqual([]);
    // The refused run left nothing in the journal that would block a new plan in the same file.
    await runCli(['--pcc-db', db, '--work-orders', SAMPLE_WORK_ORDERS, '--plan-out', planFile, '--prefer-spec']);
    const again = await runCli(['--apply', planFile, '--yes']);
    expect(again.stderr).toContain("Verified: PCC's database matches the plan.");
  });

  it("PCC's own database variable cannot send a saved plan to another file without --retarget; ids of other projects' tracks are refused", async () => {
    const db = makePccDatabase('older', visibleIds());
    const other = makePccDatabase('older', visibleIds());
    const planFile = path.join(tempDir(), 'plan.json');
    await runCli(['--pcc-db', db, '--work-orders', SAMPLE_WORK_ORDERS, '--plan-out', planFile]);
    const run = await runCli(['--apply', planFile, '--yes'], {PCC_DATABASE_PATH: other});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`another database ${other} (the plan was made for ${db}); pass --retarget`);
    expect(trackNames(other)).toEqual([]);
    const {PccDatabase} = await import('../../src/pcc/pcc-database.js');
    const foreign = addTrack(other, 'Theirs');
    const pcc = PccDatabase.open(db, null);
    expect(() => pcc.write({create: [], assignments: [{id: 'WO-2026-020', trackIds: [foreign]}], deleteIfEmpty: []})).toThrow(/name a track that is not one of project project-control-center's/);
    pcc.close();
    expect(placements(db).get('WO-2026-020')).toEqual([]);
  });

  it('a reader never sees a half-applied state', async () => {
    const ids = Array.from({length: 3000}, (_, index) => `WO-2027-${String(index + 1).padStart(4, '0')}`);
    const dir = writeWorkOrders(Object.fromEntries(ids.map((id) => [`${id}.md`, workOrderFile(id)])));
    const spec = path.join(tempDir(), 'spec.md');
    writeFileSync(spec, ['---', 'id: WO-2027-9999', 'title: Tracks', '---', '## Track Definitions', '', '| Track | Name | Goal | Color | Icon |', '|---|---|---|---|---|', '| 1 | Alpha | A | #10B981 | a |', '', '## Assignment Mapping', '', '### Alpha', ...ids.map((id) => `- ${id}: t`), ''].join('\n'));
    const db = makePccDatabase('newer', ids);
    const planFile = path.join(tempDir(), 'plan.json');
    expect((await runCli(['--pcc-db', db, '--work-orders', dir, '--spec', spec, '--plan-out', planFile, '--no-suggest'])).code).toBe(0);
    const child = spawn(process.execPath, [CLI, '--apply', planFile, '--yes'], {stdio: 'ignore'});
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const reader = openDb(db);
    const count = reader.prepare('SELECT COUNT(*) FROM work_orders WHERE track_id IS NOT NULL').pluck();
    const links = reader.prepare('SELECT COUNT(*) FROM wo_tracks').pluck();
    // One snapshot per look, as PCC reads: both counts in one read transaction.
    const look = reader.transaction(() => `${count.get()}/${links.get()}`);
    const seen = new Set<string>();
    let done = false;
    void exited.then(() => (done = true));
    while (!done) {
      seen.add(look());
      await new Promise((resolve) => setImmediate(resolve));
    }
    seen.add(look());
    reader.close();
    expect(await exited).toBe(0);
    expect([...seen]).toEqual(expect.arrayContaining(['3000/3000']));
    expect([...seen].filter((state) => state !== '0/0' && state !== '3000/3000')).toEqual([]);
    expect(seen.has('3000/3000')).toBe(true);
  });

  it('a server that reads another file: planning and applying are refused before anything is written', async () => {
    const pcc = await pool.start({assignRoute: false});
    await fetch(`${pcc.url}/repos/project-control-center/work-orders`);
    const planFile = path.join(tempDir(), 'plan.json');
    expect((await runCli(['--api', pcc.url, '--pcc-db', pcc.dbFile, '--plan-out', planFile])).code).toBe(0);
    // A copy of the server's file that has since drifted: another track and another placement.
    const copy = path.join(tempDir(), 'control-center.db');
    const source = openDb(pcc.dbFile);
    source.prepare('VACUUM INTO ?').run(copy);
    source.close();
    placeWorkOrder(copy, 'WO-2026-020', [addTrack(copy, 'Stale')]);

    const planned = await runCli(['--api', pcc.url, '--pcc-db', copy, '--dry-run']);
    expect(planned.code).toBe(1);
    expect(planned.stderr).toContain(`The PCC server at ${pcc.url} and the database ${copy} show different tracks or placements (track "Stale" (`);
    expect(planned.stderr).toContain('WO-2026-020 is on no track on the server and on t-stale-');
    expect(planned.stderr).toContain('pass the --pcc-db the server opens');

    // The saved plan names the server's file; the server now reads the copy.
    const port = Number(new URL(pcc.url).port);
    await pcc.stop();
    const moved = await pool.start({assignRoute: false, dbFile: copy, workOrdersDir: pcc.workOrdersDir, port});
    expect(moved.url).toBe(pcc.url);
    const applied = await runCli(['--apply', planFile, '--yes']);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain(`and the database ${pcc.dbFile} show different tracks or placements`);
    expect(trackNames(pcc.dbFile)).toEqual([]);
    expect(trackNames(copy)).toEqual(['Stale']);
  });

  it('a PCC server that is stopped does not make a committed write unverifiable', async () => {
    const pcc = await pool.start({assignRoute: false});
    await fetch(`${pcc.url}/repos/project-control-center/work-orders`);
    const planFile = path.join(tempDir(), 'plan.json');
    expect((await runCli(['--api', pcc.url, '--pcc-db', pcc.dbFile, '--plan-out', planFile])).code).toBe(0);
    await pcc.stop();
    const applied = await runCli(['--apply', planFile, '--yes']);
    expect(applied.stderr).toContain("Verified: PCC's database matches the plan.");
    expect(applied.code).toBe(0);
    expect(trackNames(pcc.dbFile)).toHaveLength(11);
    expect(existsSync(planFile.replace(/\.json$/, '.undo.json'))).toBe(true);
  });

  it("a path from PCC's own variable that does not exist is named as such; a symlink to the plan's file is the same database", async () => {
    const missing = path.join(tempDir(), 'gone.db');
    const run = await runCli(['--work-orders', SAMPLE_WORK_ORDERS, '--dry-run'], {PCC_DATABASE_PATH: missing});
    expect(run).toMatchObject({code: 2, stderr: `${missing} does not exist; pass --pcc-db with the path of PCC's control-center.db, or correct PCC_DATABASE_PATH, which names this file.\n`});
    const folder = tempDir();
    const notAFile = await runCli(['--work-orders', SAMPLE_WORK_ORDERS, '--dry-run'], {CONTROL_CENTER_DB_PATH: folder});
    expect(notAFile).toMatchObject({code: 2, stderr: `${folder} cannot be read (EISDIR); pass --pcc-db with the path of PCC's control-center.db, or correct CONTROL_CENTER_DB_PATH, which names this file.\n`});
    const db = makePccDatabase('older', visibleIds());
    const planFile = path.join(tempDir(), 'plan.json');
    await runCli(['--pcc-db', db, '--work-orders', SAMPLE_WORK_ORDERS, '--plan-out', planFile]);
    const link = path.join(tempDir(), 'control-center.db');
    symlinkSync(db, link);
    const applied = await runCli(['--apply', planFile, '--yes'], {PCC_DATABASE_PATH: link});
    expect(applied.stderr).toContain("Verified: PCC's database matches the plan.");
    expect(applied.code).toBe(0);
    // One file however it is reached: a symlink and a hard link take the same run lock.
    const hard = path.join(tempDir(), 'hard.db');
    linkSync(db, hard);
    const {DatabaseTarget} = await import('../../src/apply/database-target.js');
    const keys = [db, link, hard].map((file) => {
      const target = new DatabaseTarget(file, 'project-control-center');
      target.close();
      return target.lockKey;
    });
    expect(new Set(keys).size).toBe(1);
  });

  it("a WO someone moves while the run prepares is left as they put it, and undo leaves it alone", async () => {
    const db = makePccDatabase('newer', visibleIds());
    const theirs = addTrack(db, 'Theirs');
    const chat = addTrack(db, 'Chat Experience');
    const legacy = addTrack(db, 'Legacy');
    placeWorkOrder(db, 'WO-2026-001', [chat, legacy]);
    const planFile = path.join(tempDir(), 'plan.json');
    await runCli(['--pcc-db', db, '--work-orders', SAMPLE_WORK_ORDERS, '--plan-out', planFile]);
    const {readPlanFile} = await import('../../src/plan/plan-file.js');
    const {applyPlan} = await import('../../src/apply/apply-engine.js');
    const {DatabaseTarget} = await import('../../src/apply/database-target.js');
    const files = {journal: planFile.replace(/\.json$/, '.journal.jsonl'), undo: planFile.replace(/\.json$/, '.undo.json')};
    const outcome = await applyPlan({
      plan: readPlanFile(planFile),
      openTarget: () => new DatabaseTarget(db, 'project-control-center'),
      journalFile: files.journal,
      undoPlanFile: files.undo,
      // After the run has read the database, before it writes: a PCC user moves a WO.
      onEvent: (event) => {
        if (event.type !== 'start') return;
        placeWorkOrder(db, 'WO-2026-020', [theirs]);
        // Another user takes WO-2026-001 off Legacy: where the plan puts it, but by their hand.
        placeWorkOrder(db, 'WO-2026-001', [chat]);
      },
    });
    expect(outcome.failed).toEqual([{id: 'WO-2026-020', error: 'moved by someone else during the run (now on "Theirs"); left as they put it'}]);
    expect(placements(db).get('WO-2026-020')).toEqual(['Theirs']);
    expect(placements(db).get('WO-2026-001')).toEqual(['Chat Experience']);
    expect(outcome.applied).toBeGreaterThan(90);
    const undo = JSON.parse(readFileSync(files.undo, 'utf8')) as {items: {id: string}[]};
    expect(undo.items.map((item) => item.id)).not.toContain('WO-2026-020');
    expect(undo.items.map((item) => item.id)).not.toContain('WO-2026-001');
  });

  it('an API plan does not follow a database variable without --retarget; a server that errs at the check stops the write', async () => {
    const pcc = await pool.start({assignRoute: false});
    await fetch(`${pcc.url}/repos/project-control-center/work-orders`);
    const apiPlan = path.join(tempDir(), 'api-plan.json');
    expect((await runCli(['--api', pcc.url, '--plan-out', apiPlan])).code).toBe(0);
    const other = makePccDatabase('older', visibleIds());
    const redirected = await runCli(['--apply', apiPlan, '--yes'], {PCC_DATABASE_PATH: other});
    expect(redirected.code).toBe(2);
    expect(redirected.stderr).toContain(`PCC's database ${other}, named by PCC_DATABASE_PATH (the plan was made for the API at ${pcc.url}; pass --pcc-db to write into that database, or unset PCC_DATABASE_PATH to apply without it)`);
    expect(trackNames(other)).toEqual([]);
    // A plan made from local files, given a server: the variable does not take it either.
    const offline = path.join(tempDir(), 'offline.json');
    expect((await runCli(['--work-orders', SAMPLE_WORK_ORDERS, '--plan-out', offline])).code).toBe(0);
    const offlineRun = await runCli(['--apply', offline, '--yes', '--api', pcc.url, '--project', 'project-control-center'], {PCC_DATABASE_PATH: other});
    expect(offlineRun.code).toBe(2);
    expect(offlineRun.stderr).toContain('named by PCC_DATABASE_PATH (the plan was made for no database;');
    expect(trackNames(other)).toEqual([]);
    // An empty PCC_API_URL is refused, not read as "no server" (which would skip the server check).
    const empty = await runCli(['--apply', apiPlan, '--yes'], {PCC_API_URL: ''});
    expect(empty).toMatchObject({code: 2, stderr: expect.stringContaining('--api (or PCC_API_URL) is empty')});
    // Typed as --pcc-db, the same path is the user's choice, also when PCC_DB holds it too.
    const typed = await runCli(['--apply', apiPlan, '--yes', '--pcc-db', other], {PCC_DB: other});
    expect(typed.stderr).not.toContain('named by PCC_DB');
    expect(typed.stderr).toContain(`Applying to PCC's database ${other}`);

    const planFile = path.join(tempDir(), 'plan.json');
    expect((await runCli(['--api', pcc.url, '--pcc-db', pcc.dbFile, '--plan-out', planFile])).code).toBe(0);
    pcc.server.faults.failNext('GET', /\/tracks$/, 2, 500);
    const erred = await runCli(['--apply', planFile, '--yes']);
    expect(erred.code).toBe(1);
    expect(erred.stderr).toContain(`Not applied: The PCC server at ${pcc.url} did not answer the check that it reads ${pcc.dbFile}`);
    expect(trackNames(pcc.dbFile)).toEqual([]);
  });

  it('a copy that matched when checked: the read-back says the server does not show what was written', async () => {
    const pcc = await pool.start({assignRoute: false});
    await fetch(`${pcc.url}/repos/project-control-center/work-orders`);
    const copy = path.join(tempDir(), 'control-center.db');
    const source = openDb(pcc.dbFile);
    source.prepare('VACUUM INTO ?').run(copy);
    source.close();
    const planFile = path.join(tempDir(), 'plan.json');
    expect((await runCli(['--api', pcc.url, '--pcc-db', copy, '--plan-out', planFile])).code).toBe(0);
    const applied = await runCli(['--apply', planFile, '--yes']);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain(`the PCC server at ${pcc.url} does not show what is in ${copy}`);
    expect(trackNames(copy)).toHaveLength(11);
    expect(existsSync(planFile.replace(/\.json$/, '.undo.json'))).toBe(true);
  });

  it('a server that errs when the write is read back leaves the result unconfirmed, and says so', async () => {
    const pcc = await pool.start({assignRoute: false});
    await fetch(`${pcc.url}/repos/project-control-center/work-orders`);
    const planFile = path.join(tempDir(), 'plan.json');
    expect((await runCli(['--api', pcc.url, '--pcc-db', pcc.dbFile, '--plan-out', planFile])).code).toBe(0);
    const {readPlanFile} = await import('../../src/plan/plan-file.js');
    const {applyPlan} = await import('../../src/apply/apply-engine.js');
    const {DatabaseTarget} = await import('../../src/apply/database-target.js');
    const outcome = await applyPlan({
      plan: readPlanFile(planFile),
      openTarget: () => new DatabaseTarget(pcc.dbFile, 'project-control-center', {baseUrl: pcc.url, project: 'project-control-center'}),
      journalFile: planFile.replace(/\.json$/, '.journal.jsonl'),
      undoPlanFile: planFile.replace(/\.json$/, '.undo.json'),
      // The check before the write has passed; from now on the server answers 500.
      onEvent: (event) => event.type === 'start' && pcc.server.faults.failNext('GET', /\/tracks$/, 10, 500),
    });
    expect(trackNames(pcc.dbFile)).toHaveLength(11);
    expect(outcome.verified).toBe(false);
    expect(outcome.mismatches).toEqual([expect.stringContaining(`the PCC server at ${pcc.url} could not confirm that it shows what is in ${pcc.dbFile}`)]);
  });

  it('an undo plan after someone changed a WO: refused with the way out, and --replan undoes the rest', async () => {
    const db = makePccDatabase('older', visibleIds());
    const legacy = addTrack(db, 'Legacy');
    const planFile = path.join(tempDir(), 'plan.json');
    await runCli(['--pcc-db', db, '--work-orders', SAMPLE_WORK_ORDERS, '--plan-out', planFile]);
    expect((await runCli(['--apply', planFile, '--yes'])).code).toBe(0);
    const changedByRun = placements(db);
    expect(changedByRun.get('WO-2026-021')).not.toEqual([]);
    placeWorkOrder(db, 'WO-2026-020', [legacy]);
    const undoFile = planFile.replace(/\.json$/, '.undo.json');
    const refused = await runCli(['--apply', undoFile, '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('WO-2026-020 is now on "Legacy"');
    expect(refused.stderr).toContain('Pass --replan to undo the rest and leave those work orders as they are now.');
    const undone = await runCli(['--apply', undoFile, '--yes', '--replan']);
    expect(undone.stderr).toContain("Verified: PCC's database matches the plan.");
    expect(undone.code).toBe(0);
    expect(placements(db).get('WO-2026-020')).toEqual(['Legacy']);
    expect(placements(db).get('WO-2026-021')).toEqual([]);
  });

  it("a duplicate track that is another track's parent is kept, and the run says so", async () => {
    const db = makePccDatabase('newer', visibleIds());
    const kept = addTrack(db, 'Foundation');
    const copy = addTrack(db, 'Foundation');
    const child = addTrack(db, 'Foundation / CLI');
    placeWorkOrder(db, 'WO-2025-001', [kept]);
    placeWorkOrder(db, 'WO-2025-002', [kept]);
    const setParent = openDb(db);
    setParent.prepare('UPDATE tracks SET parent_track_id = ? WHERE id = ?').run(copy, child);
    setParent.close();
    const planFile = path.join(tempDir(), 'plan.json');
    await runCli(['--pcc-db', db, '--work-orders', SAMPLE_WORK_ORDERS, '--plan-out', planFile]);
    const applied = await runCli(['--apply', planFile, '--yes']);
    expect(applied.stderr).toContain("was kept: it still has work orders or is another track's parent");
    const check = openDb(db);
    expect(check.prepare('SELECT parent_track_id FROM tracks WHERE id = ?').pluck().get(child)).toBe(copy);
    check.close();
  });
});
