"""What rendering one step needs to know and remembers as it goes: the page's URLs and colours,
whether its h1 is taken, which images are above the fold, and which scripts, styles and frame
origins the page ends up needing (for its Content-Security-Policy)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from funnel_core.pages.render.colors import legible_accent, normalized, readable_on
from funnel_core.pages.tickets import VIEW_TICKET_PLACEHOLDER

# Images among the first few elements are likely above the fold: loaded at once, the first one
# with high priority (the page's largest paint); the rest lazily.
EAGER_ELEMENTS = 4
# What a CSS value from settings may look like: a hex colour, a number with a unit, a keyword.
_CSS_VALUE = re.compile(r"^(?:#[0-9a-fA-F]{3,8}|-?[0-9.]+(?:px|%|em|rem)?|[a-z-]+)$")


@dataclass(frozen=True)
class Palette:
    primary: str
    on_primary: str
    text: str
    background: str
    accent: str
    link: str

    @classmethod
    def of(cls, primary: str | None, secondary: str | None, text: str | None, background: str | None) -> Palette:
        page = normalized(background) or "#ffffff"
        body_text = readable_on(page, normalized(text))
        main = normalized(primary) or "#2563eb"
        accent = normalized(secondary) or main
        return cls(
            primary=main,
            on_primary=readable_on(main),
            text=body_text,
            background=page,
            accent=accent,
            link=legible_accent(main, page),
        )


@dataclass(frozen=True)
class PageUrls:
    """Where this step's links and forms lead, all on the funnel's own site."""

    base: str  # /p/<group>/<funnel>
    step: str  # this step's own path
    next_step: str | None  # the next step by sequence, None on the last step

    @property
    def submit(self) -> str:
        return f"{self.step}/submit"

    @property
    def checkout(self) -> str:
        return f"{self.step}/checkout"

    @property
    def upsell(self) -> str:
        return f"{self.step}/upsell"

    @property
    def view(self) -> str:
        """The view beacon, with the page's ticket (signed when the page is stored)."""
        return f"{self.step}/view?t={VIEW_TICKET_PLACEHOLDER}"


@dataclass
class FormState:
    """The step's form: whether there is one, and when a post comes back with errors, what the
    visitor typed and what was wrong, by field name. ``rendered`` collects the fields the page's
    elements already show, so the step's other ``formFields`` are added before the button."""

    active: bool = False
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    rendered: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class StripeJs:
    """Where a checkout page gets Stripe.js and where Stripe.js talks to: Stripe itself, or the
    local emulator (``make dev``, the tests), as the projection is configured."""

    script_url: str = "https://js.stripe.com/v3/"
    api_origin: str = "https://api.stripe.com"
    # Stripe.js draws the card fields and the bank's authentication in frames of its own.
    frame_origins: tuple[str, ...] = ("https://js.stripe.com", "https://hooks.stripe.com")

    @property
    def script_origin(self) -> str:
        scheme, _, rest = self.script_url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}"


STRIPE = StripeJs()


@dataclass(frozen=True)
class Offer:
    """What a sales step sells, as its properties say (the commerce issue prices it for real)."""

    price: float | None = None
    currency: str | None = None
    product_id: str | None = None


@dataclass
class RenderContext:
    urls: PageUrls
    palette: Palette
    sells: bool  # an order or checkout step: its buy buttons submit the order
    upsell: bool = False  # an upsell or downsell with a product: its buy buttons say "yes" in one click
    declines: bool = False  # an element of the upsell is its "no thanks"
    form: FormState = field(default_factory=FormState)
    offer: Offer = field(default_factory=Offer)
    h1_taken: bool = False
    images: int = 0
    element_index: int = 0
    features: set[str] = field(default_factory=set)
    frame_origins: set[str] = field(default_factory=set)
    script_origins: set[str] = field(default_factory=set)
    connect_origins: set[str] = field(default_factory=set)
    # Where the page's forms may lead, besides the site (a redirect included).
    form_origins: set[str] = field(default_factory=set)
    # Script origins whose scripts talk only to ``connect_origins`` (Stripe.js).
    known_script_origins: set[str] = field(default_factory=set)
    rules: list[str] = field(default_factory=list)
    current_id: str = ""

    def heading_level(self, wanted: int) -> int:
        """One h1 per page: the first heading that asks for it gets it, later ones become h2."""
        if wanted == 1:
            if self.h1_taken:
                return 2
            self.h1_taken = True
        return wanted

    def image_loading(self) -> dict[str, str]:
        self.images += 1
        if self.element_index < EAGER_ELEMENTS:
            return {"loading": "eager", "fetchpriority": "high"} if self.images == 1 else {"loading": "eager"}
        return {"loading": "lazy"}

    def use(self, feature: str) -> None:
        self.features.add(feature)

    def style(self, inside: str, **declarations: str | int | float | None) -> None:
        """A CSS rule for the element being rendered (``inside`` narrows it: " .bar"); values
        that are not plain colours, numbers or keywords are dropped, so nothing a builder typed
        can end the rule."""
        written = [
            f"{name.replace('_', '-')}:{value}"
            for name, value in declarations.items()
            if value is not None and _CSS_VALUE.match(str(value))
        ]
        if written:
            self.rules.append(f"#{self.current_id}{inside}{{{';'.join(written)}}}")
