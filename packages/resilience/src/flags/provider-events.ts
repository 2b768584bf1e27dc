import type {
  AnyProviderEvent,
  EventContext,
  EventDetails,
  EventHandler,
  Logger,
  ProviderEventEmitter,
} from '@openfeature/server-sdk';

/**
 * The event emitter of the toolkit's own OpenFeature providers (the SDK's `OpenFeatureEventEmitter` would
 * make the SDK a runtime dependency of the toolkit). Handlers run synchronously in the order added; one
 * that throws or rejects is reported to the logger the SDK sets (else as a process warning) and never stops
 * the others.
 */
export class ProviderEventHub implements ProviderEventEmitter<AnyProviderEvent> {
  readonly #handlers = new Map<AnyProviderEvent, EventHandler[]>();
  #logger: Logger | undefined;

  emit(eventType: AnyProviderEvent, context?: EventContext): void {
    for (const handler of [...(this.#handlers.get(eventType) ?? [])]) {
      try {
        // As the SDK's own emitter: the context is the details; the SDK adds the provider's name.
        const result = handler(context as EventDetails | undefined);
        if (result instanceof Promise)
          result.catch((error: unknown) => this.#report(eventType, error));
      } catch (error) {
        this.#report(eventType, error);
      }
    }
  }

  addHandler(eventType: AnyProviderEvent, handler: EventHandler): void {
    const list = this.#handlers.get(eventType);
    if (list === undefined) this.#handlers.set(eventType, [handler]);
    else list.push(handler);
  }

  removeHandler(eventType: AnyProviderEvent, handler: EventHandler): void {
    const list = this.#handlers.get(eventType);
    const i = list?.lastIndexOf(handler) ?? -1;
    if (i >= 0) list?.splice(i, 1);
  }

  removeAllHandlers(eventType?: AnyProviderEvent): void {
    if (eventType === undefined) this.#handlers.clear();
    else this.#handlers.delete(eventType);
  }

  getHandlers(eventType: AnyProviderEvent): EventHandler[] {
    return [...(this.#handlers.get(eventType) ?? [])];
  }

  setLogger(logger: Logger): this {
    this.#logger = logger;
    return this;
  }

  #report(eventType: AnyProviderEvent, error: unknown): void {
    if (this.#logger !== undefined) {
      this.#logger.error(`a handler of ${eventType} threw:`, error);
      return;
    }
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.emitWarning(`a handler of ${eventType} threw: ${text}`, {
      code: 'VIGIL_LISTENER_ERROR',
    });
  }
}
