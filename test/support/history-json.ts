import path from 'node:path';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

/**
 * Workflow histories as proto3 JSON, the format of `temporal workflow show
 * --output json` and of the UI's "download history", so a history taken
 * from a real cluster can sit beside the recorded ones.
 *
 * @temporalio/common's historyToJSON/historyFromJSON do the same, but fail
 * in this install with "type must be a Type": npm nested three copies of
 * protobufjs 8 (root has protobufjs 7 for @grpc/proto-loader), and the
 * protojson extension of @temporalio/common's copy refuses the message
 * types built by @temporalio/proto's copy. Loading protojson from the copy
 * @temporalio/proto itself resolves keeps both on one copy, however npm
 * lays the tree out.
 */
type History = proto.temporal.api.history.v1.IHistory;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): unknown;
}

const protoDir = path.dirname(require.resolve('@temporalio/proto/package.json'));
// A path under the proto package, so jest and Node both load the copy @temporalio/proto uses.
const protojson = require(require.resolve('protobufjs/ext/protojson', { paths: [protoDir] })) as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType('temporal.api.history.v1.History');

export function historyToJson(history: History): string {
  return JSON.stringify(protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)), null, 2);
}

/** Unknown fields (a newer server's) are ignored, as the SDK does. */
export function historyFromJson(json: unknown): History {
  return protojson.fromJson(historyType, json, { ignoreUnknownFields: true }) as History;
}
