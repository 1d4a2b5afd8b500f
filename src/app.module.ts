import { Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import 'mercurius';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { AppraisalQueries } from './application/appraisal-queries.js';
import { AppraisalService } from './application/appraisal-service.js';
import { GradeViewQueries } from './application/grade-view-queries.js';
import { AccessControl } from './auth/access-control.js';
import { AccessDenialLog } from './auth/access-denial-log.js';
import { AccessGuard, AUTHENTICATION } from './auth/access.guard.js';
import { acceptSubscriptionConnection } from './auth/subscription-connection.js';
import type { EdgeSecurity } from './auth/edge-security.js';
import { AccessDenialResolver } from './graphql/access-denial.resolver.js';
import { ApplicationErrorFilter } from './graphql/application-error.filter.js';
import { AppraisalRecordResolver } from './graphql/appraisal-record.resolver.js';
import { ConsequencesResolver } from './graphql/consequences.resolver.js';
import { ConsequenceQueries } from './consequences/consequence-queries.js';
import { InspectionQueries } from './inspection/inspection-queries.js';
import { InspectionResolver } from './graphql/inspection.resolver.js';
import { CommandEdge } from './graphql/command-edge.js';
import { CycleResolver } from './graphql/cycle.resolver.js';
import { DisciplineResolver } from './graphql/discipline.resolver.js';
import { createErrorFormatter } from './graphql/error-formatter.js';
import { EventLogResolver } from './graphql/event-log.resolver.js';
import { graphqlHardeningOptions } from './graphql/hardening/graphql-hardening.js';
import { HARDENING_DEFAULTS, type HardeningConfiguration } from './graphql/hardening/hardening.config.js';
import { DigestResolver } from './graphql/digest.resolver.js';
import { publishGradeChanges } from './graphql/grade-changes.js';
import { GradeChangesResolver } from './graphql/grade-changes.resolver.js';
import { gradeViewLoaders } from './graphql/grade-view.loaders.js';
import { GradeViewResolver } from './graphql/grade-view.resolver.js';
import { JsonScalar } from './graphql/json.scalar.js';
import { OrganizationResolver } from './graphql/organization.resolver.js';
import { PersonResolver } from './graphql/person.resolver.js';
import { ReportFieldsResolver, ReportResolver, ReportRevisionFieldsResolver } from './graphql/report.resolver.js';
import { RuleSetResolver } from './graphql/rule-set.resolver.js';
import { ReportQueries } from './reports/report-queries.js';
import { ReportFilingService } from './reports/report-filing.service.js';
import { UnitAssessmentResolver } from './graphql/unit-assessment.resolver.js';
import { CLOCK, INFRASTRUCTURE, type Clock } from './graphql/tokens.js';
import type { Infrastructure } from './infrastructure.js';
import { projectPath } from './config/project-root.js';

const logger = new Logger('GraphQL');

/** Starts the projection runner with the app and closes every connection when it stops. */
class InfrastructureLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure,
    private readonly httpAdapterHost: HttpAdapterHost,
  ) {}

  onApplicationBootstrap(): void {
    const { pubsub } = this.httpAdapterHost.httpAdapter.getInstance<FastifyInstance>().graphql;
    publishGradeChanges(this.infrastructure.projections, this.infrastructure.pool, pubsub, (message) => logger.error(message));
    this.infrastructure.projections.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.infrastructure.close();
  }
}

@Module({})
export class AppModule {
  static forRoot(infrastructure: Infrastructure, clock: Clock, hardening: HardeningConfiguration = HARDENING_DEFAULTS, security: EdgeSecurity): DynamicModule {
    const grades = new GradeViewQueries(infrastructure.pool);
    return {
      module: AppModule,
      imports: [
        GraphQLModule.forRoot<MercuriusDriverConfig>({
          driver: MercuriusDriver,
          typePaths: [projectPath('schema/**/*.graphql')],
          resolvers: { JSON: JsonScalar },
          // Per-record fields of lists, batched per request (one statement per page, not per record).
          loaders: gradeViewLoaders({
            grades,
            queries: infrastructure.queries,
            ruleSet: (id, version) => infrastructure.appraisal.ruleSet(id, version),
          }),
          graphiql: false,
          // Operations seen before run compiled (graphql-jit), compiled in a later turn of the event
          // loop whatever the load; variables are still checked by graphql first, every time, so a
          // bad one is refused with graphql's message.
          jit: { minCount: 1, eluThreshold: 1 },
          // A socket opens only with a valid token in connection_init (`{ Authorization: 'Bearer …' }`).
          subscription: { onConnect: ({ payload }) => acceptSubscriptionConnection(security.authentication, payload) },
          errorFormatter: createErrorFormatter((reference, error) =>
            logger.error(`internal error ${reference}`, error instanceof Error ? error.stack : String(error)),
          ) as unknown as MercuriusDriverConfig['errorFormatter'],
          // Depth, complexity and (when off) introspection, checked before anything executes.
          ...graphqlHardeningOptions(hardening),
        }),
      ],
      providers: [
        { provide: INFRASTRUCTURE, useValue: infrastructure },
        { provide: AppraisalService, useValue: infrastructure.appraisal },
        { provide: AppraisalQueries, useValue: infrastructure.queries },
        { provide: ConsequenceQueries, useValue: new ConsequenceQueries(infrastructure.pool) },
        { provide: InspectionQueries, useValue: new InspectionQueries(infrastructure.pool) },
        { provide: GradeViewQueries, useValue: grades },
        { provide: ReportQueries, useValue: new ReportQueries(infrastructure.pool) },
        { provide: ReportFilingService, useValue: infrastructure.reports },
        { provide: CLOCK, useValue: clock },
        { provide: APP_FILTER, useClass: ApplicationErrorFilter },
        // Every root field passes the access policy (src/auth/policy.ts) before its resolver runs.
        { provide: AUTHENTICATION, useValue: security.authentication },
        { provide: AccessControl, useValue: security.access },
        { provide: AccessDenialLog, useValue: security.denials },
        { provide: APP_GUARD, useClass: AccessGuard },
        AccessDenialResolver,
        InfrastructureLifecycle,
        CommandEdge,
        EventLogResolver,
        DigestResolver,
        RuleSetResolver,
        OrganizationResolver,
        PersonResolver,
        CycleResolver,
        AppraisalRecordResolver,
        DisciplineResolver,
        UnitAssessmentResolver,
        ConsequencesResolver,
        GradeChangesResolver,
        InspectionResolver,
        GradeViewResolver,
        ReportResolver,
        ReportFieldsResolver,
        ReportRevisionFieldsResolver,
      ],
    };
  }
}
