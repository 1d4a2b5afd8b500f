
/*
 * -------------------------------------------------------
 * THIS FILE WAS AUTOMATICALLY GENERATED (DO NOT MODIFY)
 * -------------------------------------------------------
 */

/* tslint:disable */
/* eslint-disable */

// Generated from schema/*.graphql by scripts/generate-graphql-types.mjs. Do not edit.

export interface PageInfo {
    endCursor?: Nullable<string>;
    hasNextPage: boolean;
}

export interface IQuery {
    health(): Health | Promise<Health>;
    events(streamId: string, after?: Nullable<string>, first?: Nullable<number>): EventConnection | Promise<EventConnection>;
    verifyIntegrity(): IntegrityReport | Promise<IntegrityReport>;
}

export interface Health {
    store: string;
    lastGlobalPosition?: Nullable<string>;
    oldestOpenTransactionSeconds: number;
    projections: ProjectionHealth[];
}

export interface ProjectionHealth {
    name: string;
    version: number;
    checkpoint?: Nullable<string>;
    lag: number;
    lastError?: Nullable<string>;
}

export interface EventConnection {
    edges: EventEdge[];
    pageInfo: PageInfo;
}

export interface EventEdge {
    cursor: string;
    node: Event;
}

export interface Event {
    eventId: string;
    streamId: string;
    streamRevision: number;
    globalPosition: string;
    type: string;
    schemaVersion: number;
    data: JSON;
    metadata: EventMetadata;
    recordedAt: string;
    hash: string;
}

export interface EventMetadata {
    commandId: string;
    actor: Actor;
    correlationId: string;
    causationId: string;
    effectiveAt: string;
    ruleSetId?: Nullable<string>;
}

export interface Actor {
    id: string;
    role: string;
    organizationId: string;
}

export interface IntegrityReport {
    ok: boolean;
    checkedEvents: number;
    sealedEvents: number;
    firstBadPosition?: Nullable<string>;
    reason?: Nullable<string>;
}

export type JSON = unknown;
type Nullable<T> = T | null;
