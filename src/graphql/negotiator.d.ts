/** The parts of `negotiator` (Apollo Server's own content negotiation) that known-operations.ts uses; it ships no types. */
declare module 'negotiator' {
  export default class Negotiator {
    constructor(request: { headers: Record<string, string | undefined> });
    /** The client's preferred of `available`, or undefined when it accepts none of them. */
    mediaType(available?: string[]): string | undefined;
  }
}
