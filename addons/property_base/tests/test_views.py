from .common import PropertyTestCommon


class TestEstateViews(PropertyTestCommon):
    def test_occupancy_bar_is_labelled_in_chinese(self):
        """The estate card's occupancy bar says what it measures (it showed a bare "86 %")."""
        self.use_chinese(self.user_frontdesk, [])
        estates = self.env["property.estate"].with_user(self.user_frontdesk).with_context(lang="zh_CN")
        arch = estates.get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        self.assertIn("入住率", arch)
