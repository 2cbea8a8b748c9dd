/** Who acts: the agent's id from the authorizer (JWT `sub`, or the IAM principal). */
export interface Agent {
  readonly id: string;
}
