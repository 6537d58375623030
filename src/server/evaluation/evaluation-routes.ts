import type { JsonObject } from '@bufbuild/protobuf';
import type { ConnectRouter, HandlerContext, ServiceImpl } from '@connectrpc/connect';
import { Service as ServiceV1 } from '../../generated/flagd/evaluation/v1/evaluation_pb.js';
import { Service as ServiceV2 } from '../../generated/flagd/evaluation/v2/evaluation_pb.js';
import type { EvaluationService } from './evaluation-service.js';
import type { WireAnswer, WireType, WireValues } from './wire-answer.js';

/** What every Resolve* request of both versions carries. */
interface ResolveRequest {
  readonly flagKey: string;
  readonly context?: JsonObject | undefined;
}

/** The path of every method served, `/<package>.Service/<Method>`, for the metrics' method label. */
export const EVALUATION_METHOD_PATHS: readonly string[] = [ServiceV1, ServiceV2].flatMap((service) =>
  service.methods.map((method) => `/${service.typeName}/${method.name}`),
);

type Resolver<T extends WireType> = (request: ResolveRequest, context: HandlerContext) => WireAnswer<WireValues[T]>;

/**
 * Registers flagd.evaluation.v1 and v2 on a Connect router, which serves each over gRPC, gRPC-Web and
 * Connect (JSON and binary). Both versions answer the same; v2 states absent values and variants on
 * the wire, v1 sends zero values for them and adds ResolveAll.
 */
export function registerEvaluationRoutes(router: ConnectRouter, service: EvaluationService): ConnectRouter {
  const resolver =
    <T extends WireType>(type: T): Resolver<T> =>
    (request, context) =>
      service.resolve(type, request.flagKey, request.context, context.requestHeader);
  const shared = {
    resolveBoolean: resolver('boolean'),
    resolveString: resolver('string'),
    resolveFloat: resolver('float'),
    resolveInt: resolver('int'),
    resolveObject: resolver('object'),
    eventStream: (_request: unknown, context: HandlerContext) => service.events(context.requestHeader, context.signal),
  };
  const v1: ServiceImpl<typeof ServiceV1> = {
    ...shared,
    resolveAll: (request, context) => service.resolveAll(request.context, context.requestHeader),
  };
  const v2: ServiceImpl<typeof ServiceV2> = shared;
  return router.service(ServiceV2, v2).service(ServiceV1, v1);
}
