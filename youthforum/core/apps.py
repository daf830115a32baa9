from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "youthforum.core"
    label = "core"
    verbose_name = "Site"

    def ready(self):
        # Django's idiom: receivers are connected once every app's models are loaded.
        from django.db.models.signals import post_delete, post_save
        from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from youthforum.core.tree_cache import page_tree_changed

        routed = (Page, Site, PageViewRestriction, BaseSiteSetting, BaseGenericSetting)

        def saved_or_deleted(sender, instance, **kwargs):
            if isinstance(instance, routed):
                page_tree_changed()

        # Kept by the app config, since the signals hold their receivers weakly.
        self._page_tree_receiver = saved_or_deleted
        post_save.connect(saved_or_deleted, dispatch_uid="page-tree-saved")
        post_delete.connect(saved_or_deleted, dispatch_uid="page-tree-deleted")
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(page_tree_changed, dispatch_uid=f"page-tree-{id(signal)}")
