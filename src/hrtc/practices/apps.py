from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "hrtc.practices"
    label = "practices"
    verbose_name = "Good practices"

    def ready(self) -> None:
        from hrtc.practices import disclosure

        disclosure.register_all()
        from hrtc.accounts import policy
        from hrtc.practices import access

        policy.register_app(access)  # its lines of the access policy
        from hrtc.core import demo
        from hrtc.practices.demo import load_demo

        demo.register(load_demo)
        from hrtc.practices import searching

        searching.register_kinds()
