import { createReadStream, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * GraphiQL served from this service alone: mercurius' built-in IDE loads React and GraphiQL from a
 * public CDN and stays blank on a closed network. Here the page and every asset come from npm
 * packages pinned in package.json (`graphiql` 3.x UMD bundle, `react`/`react-dom` 18 UMD builds).
 */

export const GRAPHIQL_PATH = '/graphiql';
export const GRAPHIQL_ASSETS_PATH = `${GRAPHIQL_PATH}/assets`;
const GRAPHQL_ENDPOINT = '/graphql';

const JAVASCRIPT = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

interface AssetSource {
  packageName: string;
  /** Path inside the package folder. */
  file: string;
  contentType: string;
}

/** The only files the asset route serves, by the name in the URL. Nothing else is reachable. */
const ASSET_SOURCES: Readonly<Record<string, AssetSource>> = {
  'react.production.min.js': { packageName: 'react', file: 'umd/react.production.min.js', contentType: JAVASCRIPT },
  'react-dom.production.min.js': { packageName: 'react-dom', file: 'umd/react-dom.production.min.js', contentType: JAVASCRIPT },
  'graphiql.min.js': { packageName: 'graphiql', file: 'graphiql.min.js', contentType: JAVASCRIPT },
  'graphiql.min.css': { packageName: 'graphiql', file: 'graphiql.min.css', contentType: CSS },
};

interface Asset {
  path: string;
  size: number;
  contentType: string;
}

/** Resolves every whitelisted file to an absolute path in node_modules; throws at start-up when one is missing. */
function resolveAssets(): Map<string, Asset> {
  const require = createRequire(import.meta.url);
  const assets = new Map<string, Asset>();
  for (const [name, source] of Object.entries(ASSET_SOURCES)) {
    const packageFolder = path.dirname(require.resolve(`${source.packageName}/package.json`));
    const filePath = path.join(packageFolder, source.file);
    const stats = statSync(filePath, { throwIfNoEntry: false });
    if (!stats?.isFile()) throw new Error(`offline GraphiQL: ${source.packageName} has no ${source.file} (looked at ${filePath})`);
    assets.set(name, { path: filePath, size: stats.size, contentType: source.contentType });
  }
  return assets;
}

/** The headers prefilled in GraphiQL's headers pane: every operation but `health` needs a bearer token. */
export const EXAMPLE_ACTOR_HEADERS = {
  Authorization: 'Bearer <paste a token from npm run token>',
} as const;

/** The default query: read-only operations for reviewers (审核人员) and inspectors (纪检监察人员). */
export const DEFAULT_QUERY = `# 公务员考核记录服务 · GraphiQL（离线版：页面与资源全部由本服务提供，不访问外网）
# Appraisal records service · GraphiQL (offline: the page and its assets come from this service, no internet needed)
#
# 点击运行按钮 ▶ 并选择要执行的操作。除 health 外，每个操作都须在下方 Headers 面板中携带令牌：
# Authorization: Bearer <令牌>。开发环境的令牌由 npm run -s token -- --sub hr-1 --roles HR --org bureau 生成。
# Press the run button ▶ and pick an operation. Every operation but health needs a token in the Headers pane
# below: Authorization: Bearer <token>. In development, npm run -s token -- --sub hr-1 --roles HR --org bureau makes one;
# the token's roles decide what it may run (the discipline and log queries below need DISCIPLINE_INSPECTION or AUDITOR).
#
# 记录编号 recordId 的格式为 <机关 organizationId>.<人员 personId>.<考核期 period>，请换成实际记录，例如 bureau.p1.2025。
# A recordId is <organizationId>.<personId>.<period>: replace the example with a real one, e.g. bureau.p1.2025.
# 记录的事件流为 appraisal-<recordId>。 The record's event stream is appraisal-<recordId>.

# 1. 服务健康检查：事件存储类型、日志最新位置、各投影的检查点与滞后
#    Health check: which event store, the last log position, each projection's checkpoint and lag
query Health {
  health {
    store
    lastGlobalPosition
    oldestOpenTransactionSeconds
    projections { name version checkpoint lag lastError }
  }
}

# 2. 等次溯源：每次确定与修正的推导步骤，每步列出规则条款、所读事件、结论和中文说明
#    Grade trace: every determination and revision with its steps, each naming its rule clause, the events it read, its conclusion and a Chinese label
query GradeTrace {
  gradeTrace(recordId: "bureau.p1.2025") {
    recordId
    current {
      eventId
      globalPosition
      recordedAt
      kind
      determinedBy
      outcome { kind grade reason label }
      score
      suggestedGrade
      ruleSet { id version name }
      steps {
        kind
        kindLabel
        rule { ruleSetId ruleSetVersion clause }
        inputs { eventId globalPosition }
        conclusion
        explanation
        values
      }
    }
    history {
      eventId
      recordedAt
      kind
      outcome { label }
      steps { kindLabel conclusion explanation }
    }
  }
}

# 3. 考核记录：参加情况、状态、等次、公示、复核与申诉，以及迟到事实的标记
#    Appraisal record: participation, status, outcome, public notice, objection and appeal, flags raised by late facts
query AppraisalRecord {
  appraisalRecord(recordId: "bureau.p1.2025") {
    recordId
    cycleId
    organizationId
    unitId
    personId
    period
    periodKind
    category
    participation { outcome reason appraisedBy fixedGrade }
    status
    outcome { kind grade reason label }
    publicNoticeFinalFrom
    publishedOn
    signedOff
    objectionStatus
    appealStatus
    ruleSet { id version name }
    lastGlobalPosition
    flags { factEventId factType code reason resolved }
  }
}

# 4. 事件日志：逐页读取一个事件流（下一页把 pageInfo.endCursor 填入 after）
#    Event log: page through one stream (pass pageInfo.endCursor as after for the next page)
query Events {
  events(streamId: "appraisal-bureau.p1.2025", first: 20) {
    edges {
      cursor
      node {
        eventId
        streamRevision
        globalPosition
        type
        data
        metadata { commandId correlationId causationId effectiveAt ruleSetId actor { id role organizationId } }
        recordedAt
        hash
      }
    }
    pageInfo { endCursor hasNextPage }
  }
}

# 5. 完整性校验：按流哈希链和全局封印检查每个事件，指出第一个问题的位置和原因
#    Integrity check: every event against its stream's hash chain and the global seal; names the first bad position and why
query VerifyIntegrity {
  verifyIntegrity { ok checkedEvents sealedEvents firstBadPosition reason }
}

# 6. 某一时刻的记录：按当时已记录的事件重放（换成争议发生时的时间或全局位置）
#    The record as it stood at a moment, replayed from the events recorded by then (use the moment in dispute)
query RecordAsOf {
  recordAsOf(recordId: "bureau.p1.2025", at: { recordedAt: "2026-01-19T23:59:59+08:00" }) {
    status
    outcome { kind grade label }
    flags { factType code reason resolved }
    lastGlobalPosition
  }
}

# 7. 纪检监察：本机关及下属单位中，期间内受处分、组织处理或被立案审查调查的人员及其当期等次
#    Discipline inspection: people of the organization's subtree under a measure or a case in the window, with their outcomes then
query PeopleUnderDiscipline {
  peopleUnderDiscipline(organizationId: "bureau", from: "2025-01-01", to: "2025-12-31", first: 50) {
    edges {
      node {
        personId
        measures { measure decisionDate effectiveDate effectEnds authority documentNumber }
        investigations { caseId openedOn closedOn outcome }
        grades { recordId period outcomeKind grade reason flagged }
      }
    }
    pageInfo { endCursor hasNextPage }
  }
}

# 8. 纪检监察：与事后记录的处分或立案相冲突的等次，以及谁提出、审核、确定、签署了某一等次
#    Discipline inspection: grades in conflict with facts recorded later, and who proposed, reviewed, determined and signed a grade
query ConflictsAndActors {
  conflictingGrades(organizationId: "bureau", first: 50) {
    edges { node { recordId personId period grade flags { factType code reason } } }
    pageInfo { endCursor hasNextPage }
  }
  gradeActors(recordId: "bureau.p1.2025") {
    proposed { actorId actorRole recordedAt }
    reviewed { actorId actorRole recordedAt }
    determined { actorId actorRole recordedAt }
    signed { eventType actorId actorRole recordedAt }
  }
}

# 9. 备案报表：本机关及下属单位已报送的报表、最新版次的内容，以及两个版次之间的差异和原因
#    Regulator reports: the reports filed in the subtree, the latest revision's rows, and what changed between revisions and why
query Reports {
  reports(organizationId: "bureau", first: 50) {
    edges { node { reportId title period filedOn latestRevision } }
    pageInfo { endCursor hasNextPage }
  }
  report(reportId: "bureau.2025.ROSTER") {
    title
    revision
    issuedOn
    columns { key header }
    rows(first: 200) { edges { node { ordinal key cells } } pageInfo { endCursor hasNextPage } }
    causedBy { type streamId globalPosition recordedAt }
    exports { xlsx csv }
  }
  reportDiff(reportId: "bureau.2025.ROSTER", fromRevision: 1, toRevision: 2) {
    added { key cells }
    removed { key cells }
    changed { key cells { header before after } }
    causedBy { type streamId globalPosition recordedAt }
  }
}
`;

/** JSON safe inside an inline <script>: no `</script>`, no `<!--`. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function renderPage(): string {
  const config = {
    endpoint: GRAPHQL_ENDPOINT,
    defaultQuery: DEFAULT_QUERY,
    defaultHeaders: JSON.stringify(EXAMPLE_ACTOR_HEADERS, null, 2),
  };
  const asset = (name: string) => `${GRAPHIQL_ASSETS_PATH}/${name}`;
  return `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>GraphiQL · 公务员考核记录 Appraisal records</title>
  <link rel="stylesheet" href="${asset('graphiql.min.css')}">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">正在加载 GraphiQL… Loading GraphiQL…</div>
  <script src="${asset('react.production.min.js')}"></script>
  <script src="${asset('react-dom.production.min.js')}"></script>
  <script src="${asset('graphiql.min.js')}"></script>
  <script>
    (function () {
      var config = ${scriptJson(config)};
      var fetcher = GraphiQL.createFetcher({ url: new URL(config.endpoint, window.location.href).href });
      ReactDOM.createRoot(document.getElementById('graphiql')).render(
        React.createElement(GraphiQL, {
          fetcher: fetcher,
          defaultQuery: config.defaultQuery,
          defaultHeaders: config.defaultHeaders,
          shouldPersistHeaders: true,
          defaultEditorToolsVisibility: 'headers',
        }),
      );
    })();
  </script>
</body>
</html>
`;
}

/** Registers GET /graphiql (the IDE pointed at /graphql) and GET /graphiql/assets/<file> for the whitelisted files only. */
export function registerOfflineGraphiql(fastify: FastifyInstance): void {
  const assets = resolveAssets();
  const page = renderPage();

  fastify.get(GRAPHIQL_PATH, async (_request, reply) => {
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page);
  });

  fastify.get<{ Params: { file: string } }>(`${GRAPHIQL_ASSETS_PATH}/:file`, async (request, reply) => {
    const asset = assets.get(request.params.file);
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('Not Found');
    return reply
      .type(asset.contentType)
      .header('content-length', asset.size)
      .header('cache-control', 'public, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .send(createReadStream(asset.path));
  });
}
