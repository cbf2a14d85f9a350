/**
 * Who may see and do what, checked on the server for every query, mutation and nested field (README, "Roles").
 * Checks that need the hierarchy go through the request's `within` loader: one statement per batch of checks.
 */
import { AppError, ErrorCode } from '../graphql/errors.js';
import { normaliseUnitCode } from '../units/unit-code.js';
import type { Unit } from '../units/unit.entity.js';
import type { UnitLoaders } from '../units/unit.loaders.js';
import { ALL_UNITS, Role } from './role.js';

export interface Viewer {
  /** A unit code, or `*` for the whole hierarchy. */
  unitCode: string;
  role: Role;
  tokenId: string;
}

export const forbidden = () => new AppError(ErrorCode.FORBIDDEN, 'this token does not allow that');
export const unauthenticated = () => new AppError(ErrorCode.UNAUTHENTICATED, 'authentication required: send a valid bearer token', { http: { status: 401 } });

export class Access {
  private unitPromise: Promise<Unit | null> | null = null;
  /** The viewer's own unit when a statement already read it (`learn`): made into an entity only when asked. */
  private learnedUnit: (() => Unit | null) | null = null;
  private learnedUnitId: number | null = null;

  constructor(
    readonly viewer: Viewer,
    private readonly loaders: UnitLoaders,
  ) {}

  get wholeHierarchy(): boolean {
    return this.viewer.unitCode === ALL_UNITS;
  }

  /** The code of the viewer's own unit as units are stored; null for a token of the whole hierarchy. */
  get unitCode(): string | null {
    return this.wholeHierarchy ? null : normaliseUnitCode(this.viewer.unitCode);
  }

  /** The viewer's own unit; a token naming a unit that does not exist authenticates nobody. */
  async unit(): Promise<Unit> {
    this.unitPromise ??= this.learnedUnit ? Promise.resolve(this.learnedUnit()) : this.loaders.byCode.load(normaliseUnitCode(this.viewer.unitCode));
    const unit = await this.unitPromise;
    if (!unit) throw unauthenticated();
    return unit;
  }

  /**
   * What a statement that read the target already found out about the viewer (the rollup read asks in the same
   * statement, saving two round trips): the viewer's own unit — its id, and the entity made when someone asks for it
   * (mapping entities is a large part of a rollup read's cost), or null when the token names none — and whether the
   * target is in its subtree. Later checks use these instead of asking again.
   */
  learn(own: { id: number; unit: () => Unit } | null, targetId: number, targetInSubtree: boolean): void {
    if (this.wholeHierarchy) return;
    if (!this.unitPromise && !this.learnedUnit) {
      this.learnedUnit = own ? own.unit : () => null;
      this.learnedUnitId = own?.id ?? null;
    }
    if (own) this.loaders.within.prime(`${own.id}|${targetId}`, targetInSubtree);
  }

  private async inSubtree(target: Pick<Unit, 'id'>): Promise<boolean> {
    if (this.wholeHierarchy) return true;
    const ownId = this.learnedUnitId ?? (await this.unit()).id;
    return ownId === target.id || this.loaders.within.load(`${ownId}|${target.id}`);
  }

  /** May the viewer see this unit and its reports? */
  async canSee(target: Unit): Promise<boolean> {
    switch (this.viewer.role) {
      case Role.OVERSIGHT:
      case Role.ADMIN:
        return this.inSubtree(target);
      case Role.REVIEWER: {
        if (this.wholeHierarchy) return false;
        const own = await this.unit();
        return target.id === own.id || target.parent?.id === own.id;
      }
      case Role.SUBMITTER:
        return !this.wholeHierarchy && (await this.unit()).id === target.id;
    }
  }

  async requireSee(target: Unit): Promise<void> {
    if (!(await this.canSee(target))) throw forbidden();
  }

  /** Rollups, rankings, dashboards and completeness read a whole subtree: OVERSIGHT and ADMIN within their own. */
  async requireSubtree(target: Pick<Unit, 'id'>): Promise<void> {
    if (!(this.viewer.role === Role.OVERSIGHT || this.viewer.role === Role.ADMIN) || !(await this.inSubtree(target))) throw forbidden();
  }

  /** Writing a unit's figures: its own SUBMITTER, or an ADMIN above it entering them on its behalf. */
  async requireSubmit(target: Pick<Unit, 'id' | 'code'>): Promise<void> {
    // A SUBMITTER's token names its unit by code: the target, which exists, is its own when the codes agree (no
    // statement to look the viewer's unit up); otherwise the viewer's unit is looked up, so that a token naming no unit
    // is still UNAUTHENTICATED rather than FORBIDDEN.
    const ok =
      (this.viewer.role === Role.SUBMITTER && !this.wholeHierarchy && (this.unitCode === target.code || (await this.unit()).id === target.id)) ||
      (this.viewer.role === Role.ADMIN && (await this.inSubtree(target)));
    if (!ok) throw forbidden();
  }

  /** Approving, returning or reopening: the REVIEWER of the unit directly above. */
  async requireReview(target: Unit): Promise<void> {
    if (this.viewer.role !== Role.REVIEWER || this.wholeHierarchy || target.parent?.id !== (await this.unit()).id) throw forbidden();
  }

  /** Managing units and deadlines in a subtree: its ADMIN; a root unit only with a token for the whole hierarchy. */
  async requireAdmin(target: Pick<Unit, 'id'> | null): Promise<void> {
    const ok = this.viewer.role === Role.ADMIN && (target ? await this.inSubtree(target) : this.wholeHierarchy);
    if (!ok) throw forbidden();
  }
}
