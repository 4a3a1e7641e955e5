import { Box } from "lucide-react";
import type { NodeIconName } from "@/lib/nodes/node-definition";
import * as nodeIcons from "@/lib/nodes/node-icons";

export function NodeIcon({ name, className = "size-4" }: { name: NodeIconName | undefined; className?: string }) {
  // Box stands in while a node's kind is unknown (no definition, so no icon name).
  const Icon = name ? nodeIcons[name] : Box;
  return <Icon className={className} aria-hidden />;
}
