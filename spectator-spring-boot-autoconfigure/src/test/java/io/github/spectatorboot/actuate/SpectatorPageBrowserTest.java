package io.github.spectatorboot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import com.netflix.spectator.api.Registry;
import io.github.spectatorboot.publish.StepPoller;
import io.github.spectatorboot.registry.StepRegistry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The endpoint's page in a browser engine (HtmlUnit, JavaScript on): graphs, filter box, drill-down. */
@SpringBootTest(classes = EndpointTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {"spring.main.web-application-type=servlet", "management.endpoints.web.exposure.include=spectator",
        "spectator.publish.enabled=false", "spectator.global-registry.enabled=false", "spectator.jvm.enabled=false",
        "spectator.common-tags.nf.app=shop", "spectator.history.steps=5"})
class SpectatorPageBrowserTest {

  private static final long STEP = 60_000;

  @LocalServerPort
  int port;

  @Autowired
  Registry registry;

  @Autowired
  StepPoller poller;

  private WebClient browser;

  @BeforeEach
  void recordSixSteps() {
    // the test closes the steps itself; the poller must add none in between
    poller.close();
    StepRegistry steps = (StepRegistry) registry;
    long end = steps.poll().timestamp();
    // six steps into a history of five: the first (rate 1/s) falls out
    for (int k = 1; k <= 6; k++) {
      registry.counter("orders", "status", "ok", "region", "eu").increment(60L * k);
      registry.counter("orders", "status", "failed", "region", "eu").increment(60);
      registry.timer("checkout").record(100L * k, TimeUnit.MILLISECONDS);
      steps.poll(end + k * STEP);
    }
    registry.counter("orders", "status", "ok", "region", "eu").increment(7);
    browser = new WebClient(BrowserVersion.CHROME);
    browser.getOptions().setThrowExceptionOnScriptError(true);
    browser.getOptions().setCssEnabled(true);
  }

  @AfterEach
  void closeBrowser() {
    browser.close();
  }

  private HtmlPage open(String path) throws IOException {
    return settled(browser.getPage("http://127.0.0.1:" + port + path));
  }

  /** The page, with its reload at the next step cancelled so that it stays the page under test. */
  private static HtmlPage settled(HtmlPage page) {
    assertThat(Long.parseLong(page.getBody().getAttribute("data-reload-ms"))).isBetween(1L, STEP + 2_000);
    page.getEnclosingWindow().getJobManager().removeAllJobs();
    return page;
  }

  private static List<DomElement> graphs(HtmlPage page) {
    return page.getByXPath("//div[@class='graph']");
  }

  private static DomElement graph(HtmlPage page, String series) {
    return graphs(page).stream().filter(g -> g.getAttribute("data-series").equals(series)).findFirst().orElseThrow();
  }

  /** The tooltips of a graph's dots: "HH:mm:ss value", one per step drawn. */
  private static List<String> values(DomElement graph) {
    return graph.getByXPath(".//*[local-name()='circle']/*[local-name()='title']").stream()
        .map(t -> ((DomNode) t).getTextContent().substring(9)).toList();
  }

  private static List<Double> heights(DomElement graph) {
    return graph.getByXPath(".//*[local-name()='circle']").stream()
        .map(c -> Double.parseDouble(((DomElement) c).getAttribute("cy"))).toList();
  }

  @Test
  void theFilterBoxHidesTheNamesThatDoNotMatch() throws IOException {
    HtmlPage index = open("/actuator/spectator");
    DomElement orders = index.querySelector("li[data-name='orders']");
    DomElement checkout = index.querySelector("li[data-name='checkout']");
    assertThat(orders.isDisplayed()).isTrue();
    assertThat(checkout.isDisplayed()).isTrue();

    ((HtmlInput) index.getElementById("filter")).type("ord");

    assertThat(orders.isDisplayed()).isTrue();
    assertThat(checkout.isDisplayed()).isFalse();
  }

  @Test
  void aNameOpensOneGraphPerSeriesDrawnWithTheRecordedRates() throws IOException {
    HtmlPage index = open("/actuator/spectator");
    HtmlPage orders = settled(index.getAnchorByText("orders").click());

    assertThat(graphs(orders)).hasSize(2);
    DomElement ok = graph(orders, "status=ok");
    assertThat(values(ok)).containsExactly("2/s", "3/s", "4/s", "5/s", "6/s");
    assertThat(heights(ok)).isSortedAccordingTo((a, b) -> Double.compare(b, a)).doesNotHaveDuplicates();
    assertThat(ok.querySelector("b.now").getTextContent()).isEqualTo("7");
    assertThat(ok.querySelector("b.last").getTextContent()).isEqualTo("6/s");
    assertThat(ok.querySelector("code.q").getTextContent())
        .isEqualTo("name,orders,:eq,statistic,count,:eq,:and,region,eu,:eq,:and,status,ok,:eq,:and,:sum");
    DomElement failed = graph(orders, "status=failed");
    assertThat(values(failed)).containsExactly("1/s", "1/s", "1/s", "1/s", "1/s");
    assertThat(orders.querySelectorAll("dl.publisher")).isEmpty();
    assertThat(orders.asNormalizedText()).contains("Publishing is off");
  }

  @Test
  void aTagValueDrillsDownToItsSeriesAndATagKeyGroupsByIt() throws IOException {
    HtmlPage orders = open("/actuator/spectator/orders");

    HtmlPage ok = settled(orders.getAnchorByText("status=ok").click());
    assertThat(ok.getUrl().getQuery()).contains("tag=status:ok");
    assertThat(graphs(ok)).singleElement().satisfies(g -> assertThat(values(g)).endsWith("6/s"));

    HtmlPage byStatus = settled(orders.getAnchorByText("status").click());
    assertThat(graphs(byStatus)).extracting(g -> g.getAttribute("data-series"))
        .containsExactlyInAnyOrder("status=ok", "status=failed");
    assertThat(values(graph(byStatus, "status=ok"))).containsExactly("2/s", "3/s", "4/s", "5/s", "6/s");
    assertThat(graph(byStatus, "status=ok").querySelector("code.q").getTextContent())
        .isEqualTo("name,orders,:eq,statistic,count,:eq,:and,status,ok,:eq,:and,:sum");
  }

  @Test
  void aTimerShowsItsMeanAndMaxInSeconds() throws IOException {
    HtmlPage checkout = open("/actuator/spectator/checkout?stat=max");

    DomElement g = graphs(checkout).get(0);
    assertThat(values(g)).containsExactly("200 ms", "300 ms", "400 ms", "500 ms", "600 ms");
    assertThat(g.querySelector("code.q").getTextContent()).isEqualTo("name,checkout,:eq,statistic,max,:eq,:and,:max");

    HtmlPage mean = settled(checkout.getAnchorByText("mean").click());
    assertThat(values(graphs(mean).get(0))).containsExactly("200 ms", "300 ms", "400 ms", "500 ms", "600 ms");
    assertThat(graphs(mean).get(0).querySelector("code.q").getTextContent()).isEqualTo("name,checkout,:eq,:dist-avg");
  }

  @Test
  void anUnknownNameShowsTheNamesThereAre() throws IOException {
    browser.getOptions().setThrowExceptionOnFailingStatusCode(false);
    browser.getOptions().setPrintContentOnFailingStatusCode(false);
    HtmlPage page = open("/actuator/spectator/order");

    assertThat(page.getWebResponse().getStatusCode()).isEqualTo(404);
    assertThat(page.asNormalizedText()).contains("No meter is named 'order'");
    HtmlPage orders = settled(((HtmlAnchor) page.getAnchorByText("orders")).click());
    assertThat(graphs(orders)).hasSize(2);
  }
}
