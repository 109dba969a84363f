export { registerNode, type RegisterNodeOptions } from "./operations/register-node.js";
export { NodeRegistry, type DistNode } from "./metadata/node-registry.js";
export { startCoordinator } from "./coordinator.js";
export { clusterStatus, type NodeStatus, type StatusTarget } from "./operations/cluster-status.js";
