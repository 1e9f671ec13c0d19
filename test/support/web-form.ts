/** A web form post that the form takes as it is: an anonymous hazard at a building site in town A, asking for the reward. */
import { REPORT_FIELDS as F } from "../../src/domain/web-report";

export function webReportFields(over: Record<string, string> = {}): Record<string, string> {
  return {
    [F.submission]: `web-${crypto.randomUUID()}`,
    [F.kind]: "hazard",
    [F.sector]: "construction",
    [F.lat]: "36.9005",
    [F.lng]: "115.9004",
    [F.address]: "城关镇建设路 8 号工地",
    [F.description]: "工地食堂液化气罐放在灶台旁边，消防通道被材料堵死。",
    [F.urgent]: "no",
    [F.identity]: "anonymous",
    [F.reward]: "yes",
    ...over,
  };
}
