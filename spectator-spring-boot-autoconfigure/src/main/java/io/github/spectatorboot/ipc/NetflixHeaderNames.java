package io.github.spectatorboot.ipc;

import com.netflix.spectator.ipc.IpcLogEntry;
import com.netflix.spectator.ipc.NetflixHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The Netflix headers an exchange reads and sends, named by spectator-ext-ipc's
 * {@link NetflixHeader}; {@link IpcLogEntry} turns them into the {@code ipc.client.*} and
 * {@code ipc.server.*} tags.
 */
final class NetflixHeaderNames {

  /** Headers a caller sends that {@link IpcLogEntry#addRequestHeader} understands. */
  static final String[] REQUEST = {
      NetflixHeader.ASG.headerName(), NetflixHeader.Zone.headerName(), NetflixHeader.Node.headerName(),
      NetflixHeader.Vip.headerName(), NetflixHeader.IngressCommonIpcMetrics.headerName()
  };

  /**
   * Headers a server answers with that {@link IpcLogEntry#addResponseHeader} understands; not
   * {@code Netflix-Endpoint}: a client call's endpoint is its URI template or one fixed value.
   */
  static final String[] RESPONSE = {
      NetflixHeader.ASG.headerName(), NetflixHeader.Zone.headerName(), NetflixHeader.Node.headerName()
  };

  private NetflixHeaderNames() {}

  /** Adds each of {@link #REQUEST} that {@code headers} has to the entry. */
  static void addRequestHeaders(IpcLogEntry entry, UnaryOperator<String> headers) {
    for (String name : REQUEST) {
      String value = headers.apply(name);
      if (value != null) {
        entry.addRequestHeader(name, value);
      }
    }
  }

  /** Adds each of {@link #RESPONSE} that {@code headers} has to the entry. */
  static void addResponseHeaders(IpcLogEntry entry, UnaryOperator<String> headers) {
    for (String name : RESPONSE) {
      String value = headers.apply(name);
      if (value != null) {
        entry.addResponseHeader(name, value);
      }
    }
  }

  /**
   * The headers that tell a server who calls it, from the application's common tags:
   * {@code Netflix-ASG} is the most specific of {@code nf.asg}, {@code nf.cluster} and
   * {@code nf.app} (each is a valid Frigga server group name, from which the server derives
   * {@code ipc.client.app} and {@code ipc.client.cluster}), {@code Netflix-Zone} is
   * {@code nf.zone} and {@code Netflix-Node} is {@code nf.node}.
   *
   * @return name, value, name, value, ...; empty when no identity is known
   */
  static String[] identity(Map<String, String> commonTags) {
    List<String> headers = new ArrayList<>();
    String asg = firstPresent(commonTags, "nf.asg", "nf.cluster", "nf.app");
    add(headers, NetflixHeader.ASG, asg);
    add(headers, NetflixHeader.Zone, commonTags.get("nf.zone"));
    add(headers, NetflixHeader.Node, commonTags.get("nf.node"));
    return headers.toArray(String[]::new);
  }

  private static String firstPresent(Map<String, String> tags, String... keys) {
    for (String key : keys) {
      String value = tags.get(key);
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return null;
  }

  private static void add(List<String> headers, NetflixHeader header, String value) {
    if (value != null && !value.isEmpty()) {
      headers.add(header.headerName());
      headers.add(value);
    }
  }
}
