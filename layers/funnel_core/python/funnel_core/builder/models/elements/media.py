"""Media elements: image, video, audio player, image gallery, background video."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import (
    BaseModel,
    Field,
    model_validator,
)

from funnel_core.builder.models.elements.base import ElementModel, ElementType, provider_host_problems
from funnel_core.models.values import (
    AltText,
    HexColor,
    HttpsUrl,
    problem,
    raise_problems,
)

# --- Media -----------------------------------------------------------------------------------


class ImageRef(ElementModel):
    src: HttpsUrl
    alt: AltText


class ImageSettings(ImageRef):
    width: int | None = Field(default=None, ge=1, le=4000)
    height: int | None = Field(default=None, ge=1, le=4000)
    linkUrl: HttpsUrl | None = None


class VideoProvider(StrEnum):
    YOUTUBE = "youtube"
    VIMEO = "vimeo"
    WISTIA = "wistia"
    CUSTOM = "custom"


class VideoSettings(ElementModel):
    url: HttpsUrl
    provider: VideoProvider
    autoplay: bool = False
    muted: bool = False
    controls: bool = True
    thumbnailUrl: HttpsUrl | None = None

    @model_validator(mode="after")
    def _playable(self) -> Self:
        problems = provider_host_problems(self.provider, self.url)
        if self.autoplay and not self.muted:
            problems.append(problem(("muted",), "must be true when autoplay is on: browsers block autoplay with sound"))
        raise_problems(self, problems)
        return self


class AudioPlayerSettings(ElementModel):
    url: HttpsUrl
    title: str | None = Field(default=None, max_length=200)
    autoplay: bool = False
    loop: bool = False
    showDownload: bool = False


class GalleryImage(ImageRef):
    caption: str | None = Field(default=None, max_length=300)


class GalleryLayout(StrEnum):
    GRID = "grid"
    CAROUSEL = "carousel"
    MASONRY = "masonry"


class ImageGallerySettings(ElementModel):
    images: list[GalleryImage] = Field(min_length=1, max_length=50)
    layout: GalleryLayout = GalleryLayout.GRID
    columns: int = Field(default=3, ge=1, le=6)
    lightbox: bool = True


class BackgroundVideoSettings(ElementModel):
    """Always muted and autoplaying, as a background must be."""

    url: HttpsUrl
    posterUrl: HttpsUrl | None = None
    overlayColor: HexColor | None = None
    overlayOpacity: float = Field(default=0.0, ge=0, le=1, allow_inf_nan=False)
    loop: bool = True


SETTINGS: dict[ElementType, type[BaseModel]] = {
    ElementType.IMAGE: ImageSettings,
    ElementType.VIDEO: VideoSettings,
    ElementType.AUDIO_PLAYER: AudioPlayerSettings,
    ElementType.IMAGE_GALLERY: ImageGallerySettings,
    ElementType.BACKGROUND_VIDEO: BackgroundVideoSettings,
}
