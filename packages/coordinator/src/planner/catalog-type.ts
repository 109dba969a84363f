/** The engine's catalog type, reached through the Engine class (the package exports no name). */
import type { Engine } from "@tessera/engine";

export type Catalog = Engine["catalog"];
